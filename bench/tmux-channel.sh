#!/usr/bin/env bash
# Cost of one tmux command: a `tmux` process per command vs one persistent control-mode client (tmux -C), the
# channel caod uses. Both run the same query (`display-message -p` of a pane's title and command, as the status
# engine does) and the same `capture-pane -p` of a 220x50 pane. Usage: bench/tmux-channel.sh [commands, default 500]
set -euo pipefail
n=${1:-500}
sock="caod-bench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
tmux -L "$sock" -f /dev/null new-session -d -s bench -x 220 -y 50
tmux -L "$sock" send-keys -t bench 'seq 1 60' Enter
now_us() { date +%s%6N; }

per_process() { # $1 = tmux arguments as one word list
  local start; start=$(now_us)
  for ((i = 0; i < n; i++)); do tmux -L "$sock" $1 >/dev/null; done
  echo $(( ($(now_us) - start) / n ))
}

per_channel() {
  local start end
  coproc CTL { tmux -L "$sock" -C attach -t bench; }
  local answered=0 line
  # swallow the attach block
  while read -r line <&"${CTL[0]}"; do [[ $line == %end* ]] && break; done
  start=$(now_us)
  for ((i = 0; i < n; i++)); do
    printf '%s\n' "$1" >&"${CTL[1]}"
    while read -r line <&"${CTL[0]}"; do
      if [[ $line == %end* || $line == %error* ]]; then answered=$((answered + 1)); break; fi
    done
  done
  end=$(now_us)
  exec {CTL[1]}>&-
  wait "$CTL_PID" 2>/dev/null || true
  echo $(( (end - start) / n ))
}

q='display-message -p -t bench "#{pane_title}|#{pane_current_command}|#{pane_dead}"'
c='capture-pane -p -t bench'
echo "| command | tmux process per command | one control-mode channel |"
echo "|---|---|---|"
echo "| display-message (title, command, dead) | $(per_process "display-message -p -t bench #{pane_title}|#{pane_current_command}") µs | $(per_channel "$q") µs |"
echo "| capture-pane 220x50 | $(per_process "capture-pane -p -t bench") µs | $(per_channel "$c") µs |"
echo
echo "$n commands each; machine: $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"), $(tmux -V)"
