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
. "$root/bench/lib.sh"
bench_prepare MessagingBench
bench_report_warnings=yes # failed deliveries and re-pressed Enters explain odd figures
bench_start_daemon "caod-msg-bench-$$"
bench_client MessagingBench --socket "$home/run/caod.sock" "$@"

echo
echo "machine: $(bench_machine), $(tmux -V); $(date +%Y-%m-%d)"
