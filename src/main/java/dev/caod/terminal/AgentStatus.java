package dev.caod.terminal;

/** What an agent is doing, as SPEC §3 defines it; stored and shown by its lower-case name. */
public enum AgentStatus {
    IDLE, PROCESSING, COMPLETED, WAITING_USER_ANSWER, ERROR, UNKNOWN
}
