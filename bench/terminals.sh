#!/bin/sh
# Terminal runtime benchmarks, against a real `bin/caod serve` on a throw-away CAOD_HOME and a private tmux server:
#  1. detection latency: turns of a scripted demo agent (think 50 ms, then reply); per turn, the time from the agent
#     drawing its idle prompt after the answer (it appends `prompt <epoch-micros>` to $CAOD_DEMO_TRACE right after
#     the write) to the daemon publishing the `completed` status event (Event.at), and to the client receiving it;
#  2. idle CPU: N demo terminals started and idle, then the daemon's utime+stime from /proc/<pid>/stat over a window,
#     as percent of one core, with its RSS, the tmux server's CPU and the agents' total RSS.
# The client is dev.caod.bench.TerminalBench (src/test/java). Prints Markdown tables and the machine line.
# Usage: bench/terminals.sh [--turns 200] [--warmup 10] [--terminals 50] [--idle-seconds 60] [--quiet-seconds 5]
#                           [--only latency|idle]
# Needs a built target/quarkus-app and target/test-classes; builds nothing except the dependency classpath file.
set -eu
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
caod_select_jdk java || exit 1
command -v tmux >/dev/null || { echo "bench/terminals.sh needs tmux: apt-get install tmux" >&2; exit 1; }

[ -f "$root/target/quarkus-app/quarkus-run.jar" ] || {
  echo "target/quarkus-app is missing: run ./mvnw package -DskipTests first." >&2; exit 1; }
[ -f "$root/target/test-classes/dev/caod/bench/TerminalBench.class" ] || {
  echo "target/test-classes has no TerminalBench: run ./mvnw test-compile first." >&2; exit 1; }
if [ -n "$(find "$root/src/main" "$root/proto" -newer "$root/target/quarkus-app/quarkus-run.jar" -print -quit)" ]; then
  echo "note: sources changed since target/quarkus-app was built; this measures the old build." >&2
fi
cp_file="$root/target/bench-cp.txt"
if [ ! -s "$cp_file" ]; then
  echo "writing the test classpath to target/bench-cp.txt (once)..." >&2
  (cd "$root" && ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt \
    -Dmdep.includeScope=test) >&2
fi

home=$(mktemp -d)
tmux_socket="caod-bench-$$"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  tmux -L "$tmux_socket" kill-server 2>/dev/null || true
  left=$(pgrep -f "demo-agent.*$home" || true)
  if [ -n "$left" ]; then
    echo "demo agents left behind, ending them: $left" >&2
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
  fi
  rm -rf "$home"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CAOD_HOME="$home" CAOD_NO_BUILD=1 \
  CAOD_JAVA_OPTS="-Dquarkus.http.port=0 -Dcaod.tmux.socket-name=$tmux_socket ${CAOD_JAVA_OPTS-}" \
  "$root/bin/caod" serve >"$home/serve.log" 2>&1 &
pid=$! # bin/caod execs the JVM: this is the daemon's pid
i=0
until [ -S "$home/run/caod.sock" ]; do
  if [ $i -ge 600 ] || ! kill -0 "$pid" 2>/dev/null; then # 120 s: the first start may record the AOT cache
    echo "the daemon did not come up; its log:" >&2; cat "$home/serve.log" >&2; exit 1
  fi
  sleep 0.2; i=$((i + 1))
done

flags=--enable-native-access=ALL-UNNAMED
[ "$(caod_jdk_major "$JAVA_HOME")" -ge 24 ] && flags="$flags --sun-misc-unsafe-memory-access=allow"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $flags -cp "$root/target/test-classes:$root/target/classes:$(cat "$cp_file")" \
  dev.caod.bench.TerminalBench --socket "$home/run/caod.sock" --tmux-socket "$tmux_socket" "$@"

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), \
$("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(tmux -V); $(date +%Y-%m-%d)"
