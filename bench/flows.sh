#!/bin/sh
# Flow benchmarks, against a real `bin/caod serve` on a throw-away CAOD_HOME and a private tmux server. Flow files are
# written straight into the daemon's <config>/flows/ folder, as a person drops them there:
#  1. schedule accuracy: N flows `@every <interval>` (files written spread over one interval), each running a demo
#     agent that replies at once, until R runs are recorded; per run, the scheduled time -> the run started
#     (FlowRun.started_at) and -> the prompt typed into the agent (the TASK_SENT event of the run's session), and the
#     runs' outcomes (succeeded, skipped_overlap, failed ...);
#  2. idle cost: M valid flows with a far-away cron; the time from writing their files to ListFlows showing them all
#     scheduled, then the daemon's utime+stime from /proc/<pid>/stat over a window, as percent of one core, and its
#     RSS, against the same window before the files were written.
# Every flow file is deleted at the end. The client is dev.caod.bench.FlowBench (src/test/java). Prints Markdown
# tables and the machine line.
# Usage: bench/flows.sh [--flows 20] [--every 20s] [--runs 100] [--idle-flows 200] [--idle-seconds 60]
#                       [--quiet-seconds 10] [--only accuracy|idle]
# Needs a built target/quarkus-app and target/test-classes; builds nothing except the dependency classpath file.
set -eu
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
. "$root/bench/lib.sh"
bench_prepare FlowBench
bench_report_warnings=yes # failed runs explain odd figures
bench_start_daemon "caod-flow-bench-$$"
bench_client FlowBench --socket "$home/run/caod.sock" "$@"

echo
echo "machine: $(bench_machine), $(tmux -V); $(date +%Y-%m-%d)"
