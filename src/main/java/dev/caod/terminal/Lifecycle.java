package dev.caod.terminal;

/** Whether a terminal's CLI is starting, running, or gone; independent of what the agent is doing. */
public enum Lifecycle {
    STARTING, RUNNING, EXITED
}
