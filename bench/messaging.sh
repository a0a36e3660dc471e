#!/bin/sh
# Messaging benchmarks, against a real `bin/caod serve` on a throw-away CAOD_HOME and a private tmux server. Every
# demo agent replies at once and, with CAOD_DEMO_TRACE=<file>, appends `ready|paste|input|prompt <epoch-micros>`
# lines that the client compares with its own clock (same machine):
#  1. delivery latency: messages to one idle demo agent; per message, SendMessage sent -> the agent receiving the
#     paste that carries the message's tag (and -> submitted, -> DELIVERED event);
#  2. handoff overhead: sequential Handoff calls, each to a fresh demo worker; the call's total time minus the
#     worker's own time (process start -> first prompt, plus submitted -> answer drawn), with a breakdown;
#  3. mesh: N demo agents in one session send each other M messages from a few client threads; every message is
#     followed to DELIVERED or FAILED and every tag counted in the agents' traces: lost, duplicated, throughput, RSS.
# The client is dev.caod.bench.MessagingBench (src/test/java). Prints Markdown tables and the machine line.
# Usage: bench/messaging.sh [--messages 200] [--warmup 10] [--handoffs 30] [--handoff-warmup 3] [--agents 50]
#                           [--mesh-messages 1000] [--senders 4] [--mesh-timeout-seconds 600]
#                           [--only latency|handoff|mesh]
# Needs a built target/quarkus-app and target/test-classes; builds nothing except the dependency classpath file.
set -eu
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
caod_select_jdk java || exit 1
command -v tmux >/dev/null || { echo "bench/messaging.sh needs tmux: apt-get install tmux" >&2; exit 1; }

[ -f "$root/target/quarkus-app/quarkus-run.jar" ] || {
  echo "target/quarkus-app is missing: run ./mvnw package -DskipTests first." >&2; exit 1; }
[ -f "$root/target/test-classes/dev/caod/bench/MessagingBench.class" ] || {
  echo "target/test-classes has no MessagingBench: run ./mvnw test-compile first." >&2; exit 1; }
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
tmux_socket="caod-msg-bench-$$"
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  # what the daemon found worth saying (failed deliveries, Enter pressed again ...), before its home goes
  warnings=$(grep -E ' (WARN|ERROR) |pressing Enter again' "$home/serve.log" 2>/dev/null || true)
  if [ -n "$warnings" ]; then
    echo "the daemon logged $(printf '%s\n' "$warnings" | wc -l) warning(s), error(s) or re-pressed Enters;" \
      "the last 10:" >&2
    printf '%s\n' "$warnings" | tail -n 10 >&2
  fi
  tmux -L "$tmux_socket" kill-server 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$tmux_socket" # tmux 3.3a leaves the socket file behind
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
  dev.caod.bench.MessagingBench --socket "$home/run/caod.sock" "$@"

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), \
$("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(tmux -V); $(date +%Y-%m-%d)"
