#!/usr/bin/env bash
# Does a tmux build survive caod's kind of churn, and what does one tmux server per session cost?
#
# churn: W workers, each in a loop for S seconds, doing what caod does when teams come and go: a new session whose
#   pane prints steadily (output notifications), a control-mode client attached to it (caod's channel), a second
#   window, optionally `window-size manual` on it, then the session killed. Meanwhile a "keeper" session with one
#   pane stands for 30 live agents that belong to nobody in the churn. With --servers shared every session lives on
#   one server (caod before 2026-12); with per-session each session, and the keeper, has a server of its own.
#   --serialise runs every structural change (new/kill session, new window, attach) one at a time, as caod's Tmux
#   class does on 3.3a. Reports cycles done, commands that failed because the server died, keepers lost (agents a
#   crash would have taken along), and the tmux segfaults the kernel logged meanwhile (dmesg, when readable).
# cost: for N sessions of one window each, on one shared server and on one server per session: the tmux servers'
#   total RSS and PSS (RSS counts the shared library pages once per process, PSS splits them), and the median time of
#   a `new-session` (which starts a server each time in per-session mode).
#
# Usage: bench/tmux-churn.sh [--tmux BIN] [--only churn|cost] [--seconds 60] [--workers 4] [--servers shared|per-session]
#                            [--serialise] [--pin] [--sessions 20]
# Needs only tmux (any build: pass --tmux /path/to/tmux to compare, e.g. 3.3a and 3.5a). Everything runs on private
# sockets named caod-churn-<pid>*, removed at the end.
set -uo pipefail
tmux_bin=tmux only= seconds=60 workers=4 servers=shared serialise=no pin=no sessions=20
while [ $# -gt 0 ]; do
  case $1 in
    --tmux) tmux_bin=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --servers) servers=$2; shift 2 ;;
    --serialise) serialise=yes; shift ;;
    --pin) pin=yes; shift ;;
    --sessions) sessions=$2; shift 2 ;;
    *) echo "unknown option $1 (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
case $servers in shared|per-session) ;; *) echo "--servers shared|per-session" >&2; exit 2 ;; esac
prefix="caod-churn-$$"
work=$(mktemp -d)
lock="$work/lock"
cleanup() {
  for s in /tmp/tmux-"$(id -u)"/"$prefix"*; do
    [ -S "$s" ] && "$tmux_bin" -L "${s##*/}" kill-server 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

socket_of() { # $1 = session name
  if [ "$servers" = shared ]; then echo "$prefix"; else echo "$prefix-$1"; fi
}
t() { # $1 = session; the rest: a tmux command
  local sock; sock=$(socket_of "$1"); shift
  "$tmux_bin" -L "$sock" -f /dev/null "$@"
}
structural() { # runs "$@" under the lock when --serialise
  if [ "$serialise" = yes ]; then flock "$lock" "$@"; else "$@"; fi
}
segfaults() { dmesg 2>/dev/null | grep -c 'tmux.*segfault' || true; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : 0)}'; }
now_us() { date +%s%6N; }
printer='while :; do echo "working $(date +%s%N)"; sleep 0.02; done'

churn_worker() { # $1 = worker number; writes "cycles failures" to $work/w$1
  local w=$1 i=0 fails=0 end=$((SECONDS + seconds)) s out
  while [ $SECONDS -lt $end ]; do
    s="w$w-$i"
    out=$(structural t "$s" new-session -d -s "$s" -x 220 -y 50 sh -c "$printer" 2>&1) || {
      case $out in *"server exited"*|*"lost server"*|*"no server"*) fails=$((fails + 1)) ;; esac; }
    # caod's channel: a control client attached while the session lives
    (sleep 0.3 | t "$s" -C attach-session -t "=$s" >/dev/null 2>&1) &
    out=$(structural t "$s" new-window -d -t "=$s:" sh -c "$printer" 2>&1) || {
      case $out in *"server exited"*|*"lost server"*|*"no server"*) fails=$((fails + 1)) ;; esac; }
    if [ "$pin" = yes ]; then
      t "$s" set-option -w -t "=$s:1" window-size manual >/dev/null 2>&1
      t "$s" resize-window -t "=$s:1" -x 220 -y 50 >/dev/null 2>&1
    fi
    t "$s" capture-pane -p -t "=$s:0" >/dev/null 2>&1
    wait
    structural t "$s" kill-session -t "=$s" >/dev/null 2>&1
    i=$((i + 1))
  done
  echo "$i $fails" >"$work/w$w"
}

churn() {
  local before keeper_lost=0 cycles=0 fails=0 w
  before=$(segfaults)
  t keeper new-session -d -s keeper -x 220 -y 50 sh -c "$printer" || { echo "cannot start tmux" >&2; exit 1; }
  for w in $(seq 1 "$workers"); do churn_worker "$w" & done
  # the keeper stands for the agents outside the churn: a crash of its server takes them along
  local end=$((SECONDS + seconds))
  while [ $SECONDS -lt $end ]; do
    if ! t keeper has-session -t =keeper 2>/dev/null; then
      keeper_lost=$((keeper_lost + 1))
      t keeper new-session -d -s keeper -x 220 -y 50 sh -c "$printer" 2>/dev/null
    fi
    sleep 0.5
  done
  wait
  for w in $(seq 1 "$workers"); do
    read -r c f <"$work/w$w"; cycles=$((cycles + c)); fails=$((fails + f))
  done
  echo "| $("$tmux_bin" -V) | $servers | $serialise | $pin | $workers × ${seconds} s | $cycles | $fails | $keeper_lost | $(( $(segfaults) - before )) |"
}

memory_kib() { # "RSS PSS" of the tmux servers on our sockets, summed (PSS shares the common library pages out)
  local rss=0 pss=0 pid sock
  for sock in /tmp/tmux-"$(id -u)"/"$prefix"*; do
    [ -S "$sock" ] || continue
    pid=$("$tmux_bin" -L "${sock##*/}" display-message -p '#{pid}' 2>/dev/null) || continue
    rss=$((rss + $(awk '/^Rss:/ {print $2}' /proc/"$pid"/smaps_rollup)))
    pss=$((pss + $(awk '/^Pss:/ {print $2}' /proc/"$pid"/smaps_rollup)))
  done
  echo "$rss $pss"
}

cost() { # one row per mode
  local mode s start times rss pss
  for mode in shared per-session; do
    servers=$mode times="$work/times-$mode"
    : >"$times"
    for i in $(seq 1 "$sessions"); do
      s="c$i"; start=$(now_us)
      t "$s" new-session -d -s "$s" -x 220 -y 50 sh -c 'sleep 600'
      echo $(( $(now_us) - start )) >>"$times"
    done
    read -r rss pss <<EOF_MEM
$(memory_kib)
EOF_MEM
    echo "| $("$tmux_bin" -V) | $mode | $sessions | $(( rss / 1024 )) MiB | $(( pss / 1024 )) MiB | $(( pss / sessions )) KiB | $(median <"$times" | awk '{printf "%.1f", $1 / 1000}') ms |"
    for s in /tmp/tmux-"$(id -u)"/"$prefix"*; do [ -S "$s" ] && "$tmux_bin" -L "${s##*/}" kill-server 2>/dev/null; done
  done
}

if [ "$only" != cost ]; then
  echo "| tmux | servers | serialised | pinned size | load | cycles | failed (server died) | keepers lost | segfaults (dmesg) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  churn
fi
if [ "$only" != churn ]; then
  echo
  echo "| tmux | servers | sessions | servers' RSS | servers' PSS | PSS per session | new-session p50 |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  cost
fi
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%d GiB", $2 / 1048576}' /proc/meminfo), $(uname -r); $(date +%Y-%m-%d)"
