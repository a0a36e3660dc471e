#!/bin/sh
# Start-up benchmark for `caod serve` in JVM mode, with and without the JDK AOT cache the launcher records.
# Per run: a fresh CAOD_HOME, launch bin/caod serve, poll grpc.health.v1.Health/Check over the Unix socket with
# curl (HTTP/2 prior knowledge) until it answers SERVING, then read the daemon's VmRSS and stop it with SIGTERM.
# Prints every run and the medians as a Markdown table. Usage: bench/startup.sh [runs-per-mode, default 7]
# Needs: curl with HTTP/2 (Debian's curl has it) and a built target/quarkus-app (bin/caod builds it on first use).
set -eu
runs=${1:-7}
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/lib.sh"
command -v curl >/dev/null || { echo "bench/startup.sh needs curl: apt-get install curl" >&2; exit 1; }

# Build (and record the AOT cache) outside the measured runs.
warm_home=$(mktemp -d)
CAOD_HOME="$warm_home" CAOD_JAVA_OPTS=-Dquarkus.http.port=0 "$root/bin/caod" serve >/dev/null 2>&1 &
warm_pid=$!
while [ ! -S "$warm_home/run/caod.sock" ] && kill -0 "$warm_pid" 2>/dev/null; do sleep 0.5; done
kill -TERM "$warm_pid" 2>/dev/null || true
wait "$warm_pid" 2>/dev/null || true
rm -rf "$warm_home"

now_ms() { date +%s%3N; }

# Health/Check with an empty request: a 5-byte gRPC frame header of zero length. SERVING answers with the frame
# 00 00000002 08 01 (field 1 = SERVING).
serving() {
  printf '\000\000\000\000\000' | curl -s --max-time 2 --http2-prior-knowledge --unix-socket "$1" \
    -H 'content-type: application/grpc' -H 'te: trailers' --data-binary @- \
    http://localhost/grpc.health.v1.Health/Check 2>/dev/null | od -An -tx1 | tr -d ' \n' | grep -q '00000000020801'
}

one_run() { # $1 = on|off; prints "millis rss_kib"
  home=$(mktemp -d)
  start=$(now_ms)
  CAOD_HOME="$home" CAOD_NO_BUILD=1 CAOD_AOT="$1" CAOD_JAVA_OPTS=-Dquarkus.http.port=0 \
    "$root/bin/caod" serve >"$home/serve.log" 2>&1 &
  pid=$!
  deadline=$((start + 60000))
  until serving "$home/run/caod.sock"; do
    if [ "$(now_ms)" -gt "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "run failed; log: $home/serve.log" >&2; kill -TERM "$pid" 2>/dev/null || true; exit 1
    fi
    sleep 0.02
  done
  elapsed=$(($(now_ms) - start))
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$home"
  echo "$elapsed $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

results=$(mktemp)
i=1
while [ "$i" -le "$runs" ]; do
  for mode in off on; do # interleaved, so machine noise hits both modes alike
    r=$(one_run "$mode")
    echo "run $i aot=$mode: first gRPC answer ${r% *} ms, RSS $((${r#* } / 1024)) MiB" >&2
    echo "$mode $r" >>"$results"
  done
  i=$((i + 1))
done

echo
echo "| mode | runs | median first gRPC answer | median RSS after start |"
echo "|---|---|---|---|"
for mode in off on; do
  ms=$(awk -v m="$mode" '$1 == m {print $2}' "$results" | median)
  kib=$(awk -v m="$mode" '$1 == m {print $3}' "$results" | median)
  label="JVM, no AOT cache"; [ "$mode" = on ] && label="JVM + JDK AOT cache (launcher default)"
  echo "| $label | $runs | $ms ms | $((kib / 1024)) MiB |"
done
rm -f "$results"
echo
# bin/caod chose its JDK the same way, but could not tell this script which
echo "machine: $(caod_select_jdk java >/dev/null 2>&1; bench_machine)"
