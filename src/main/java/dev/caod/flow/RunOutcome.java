package dev.caod.flow;

/** How a flow run ended; RUNNING until it does. */
public enum RunOutcome {
    RUNNING, SUCCEEDED, SKIPPED_BY_SCRIPT, SKIPPED_OVERLAP, FAILED, TIMED_OUT
}
