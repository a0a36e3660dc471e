#!/bin/sh
# Load benchmark: N demo agents and F flows (each `@every 60s`) under continuous messaging between random agents for
# a while, then the daemon restarted while the messages keep coming (SIGTERM, or SIGKILL with --restart kill), then
# more load. Reports messages sent/delivered/failed/lost/duplicated (each message's tag counted in the receiving
# agents' own traces), the daemon's RSS every 30 s, the recovery time after the restart and the flow runs.
# The client (dev.caod.bench.LoadBench, src/test/java) starts and restarts `bin/caod serve` itself, on a throw-away
# CAOD_HOME with a private tmux server.
# Usage: bench/load.sh [--agents 50] [--flows 20] [--minutes 10] [--after-minutes 2] [--rate 10]
#                      [--restart term|kill]
# Needs a built target/quarkus-app and target/test-classes; builds nothing except the dependency classpath file.
set -eu
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/lib.sh"
bench_prepare LoadBench
bench_report_warnings=yes
home=$(mktemp -d)
tmux_socket="caod-load-bench-$$"
pid=
load_cleanup() {
  [ -f "$home/daemon.pid" ] && pid=$(cat "$home/daemon.pid")
  bench_cleanup
}
trap load_cleanup EXIT
trap 'exit 130' INT TERM
bench_client LoadBench --root "$root" --home "$home" --tmux-socket "$tmux_socket" "$@"

echo
echo "machine: $(bench_machine), $(tmux -V); $(date +%Y-%m-%d)"
