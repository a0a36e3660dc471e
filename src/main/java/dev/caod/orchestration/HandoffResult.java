package dev.caod.orchestration;

import java.time.Duration;

/**
 * A finished handoff.
 *
 * @param answer the worker's full last answer when completed; what its screen showed otherwise
 * @param detail for anything but completed, what happened in words the caller can act on
 */
public record HandoffResult(HandoffOutcome outcome, String workerId, String profile, String answer,
        Duration elapsed, String detail) {

    /** The result as an agent reads it: outcome first, then who and how long, then the answer or the screen. */
    public String describe() {
        StringBuilder out = new StringBuilder("outcome: ").append(outcome.label()).append('\n')
                .append("worker: terminal ").append(workerId).append(" (").append(profile).append("), ")
                .append(String.format(java.util.Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0)).append('\n');
        if (!detail.isEmpty()) {
            out.append("detail: ").append(detail).append('\n');
        }
        return out.append(outcome == HandoffOutcome.COMPLETED ? "answer:\n" : "worker's screen:\n").append(answer)
                .toString();
    }
}
