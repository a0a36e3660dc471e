package dev.caod.terminal;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import dev.caod.api.v1.Session;
import dev.caod.api.v1.Terminal;
import dev.caod.api.v1.TerminalLifecycle;
import dev.caod.api.v1.TerminalStatus;

/** Conversions between the terminal runtime's views and the caod.v1 messages. */
public final class Protos {

    private Protos() {
    }

    public static TerminalStatus status(AgentStatus s) {
        return TerminalStatus.valueOf("TERMINAL_STATUS_" + s.name());
    }

    public static AgentStatus status(TerminalStatus s) {
        return AgentStatus.valueOf(s.name().substring("TERMINAL_STATUS_".length()));
    }

    public static TerminalLifecycle lifecycle(Lifecycle l) {
        return TerminalLifecycle.valueOf("TERMINAL_LIFECYCLE_" + l.name());
    }

    public static Terminal terminal(TerminalView t) {
        Terminal.Builder b = Terminal.newBuilder().setId(t.id()).setSessionId(t.sessionId())
                .setTmuxWindow(t.tmuxWindow()).setProvider(t.provider()).setProfile(t.profile())
                .setWorkingDirectory(t.workingDirectory()).setCallerTerminalId(t.callerId())
                .setLifecycle(lifecycle(t.lifecycle())).setStatus(status(t.status()))
                .setExitReason(t.exitReason() == null ? "" : t.exitReason());
        if (t.statusSince() != null) {
            b.setStatusSince(ts(t.statusSince()));
        }
        if (t.createdAt() != null) {
            b.setCreatedAt(ts(t.createdAt()));
        }
        if (t.lastActiveAt() != null) {
            b.setLastActiveAt(ts(t.lastActiveAt()));
        }
        return b.build();
    }

    public static Session session(SessionView s) {
        Session.Builder b = Session.newBuilder().setId(s.id()).setName(s.name()).setTmuxSession(s.tmuxSession())
                .setWorkingDirectory(s.workingDirectory()).setSupervisorTerminalId(s.supervisorId())
                .setTerminalCount(s.terminalCount());
        if (s.createdAt() != null) {
            b.setCreatedAt(ts(s.createdAt()));
        }
        if (s.closedAt() != null) {
            b.setClosedAt(ts(s.closedAt()));
        }
        return b.build();
    }

    public static Timestamp ts(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
