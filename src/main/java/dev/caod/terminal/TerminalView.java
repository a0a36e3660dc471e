package dev.caod.terminal;

import java.time.Instant;

import dev.caod.store.TerminalEntity;

/** A terminal as clients see it: a detached copy of its row. */
public record TerminalView(String id, String sessionId, String tmuxWindow, String provider, String profile,
        String workingDirectory, String callerId, Lifecycle lifecycle, AgentStatus status, String statusRule,
        Instant statusSince, Instant createdAt, Instant lastActiveAt, String exitReason) {

    static TerminalView of(TerminalEntity t) {
        return new TerminalView(t.ref, t.session.ref, t.tmuxWindow, t.provider, t.profile, t.workingDirectory,
                t.caller == null ? "" : t.caller.ref, t.lifecycle, t.status, t.statusRule == null ? "" : t.statusRule,
                t.statusSince, t.createdAt, t.lastActiveAt, t.exitReason == null ? "" : t.exitReason);
    }
}
