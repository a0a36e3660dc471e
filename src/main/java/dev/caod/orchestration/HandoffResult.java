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
}
