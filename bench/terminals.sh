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
. "$root/bench/lib.sh"
bench_prepare TerminalBench
bench_start_daemon "caod-bench-$$"
bench_client TerminalBench --socket "$home/run/caod.sock" --tmux-socket "$tmux_socket" "$@"

echo
echo "machine: $(bench_machine), $(tmux -V); $(date +%Y-%m-%d)"
