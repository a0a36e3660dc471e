package dev.caod.terminal;

import java.time.Instant;
import java.util.List;

/** A session as clients see it, with its terminals (oldest first) when asked for. */
public record SessionView(String id, String name, String tmuxSession, String workingDirectory,
        String supervisorId, Instant createdAt, Instant closedAt, int terminalCount, List<TerminalView> terminals) {
}
