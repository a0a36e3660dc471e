package dev.caod.orchestration;

/** How a handoff ended; never a timeout reported as success, nor a crash as a timeout. */
public enum HandoffOutcome {
    COMPLETED, TIMED_OUT, WORKER_ERROR, WAITING_USER_ANSWER, CANCELLED;

    /** As agents and the CLI write it: {@code timed_out}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
