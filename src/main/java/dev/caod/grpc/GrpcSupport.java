package dev.caod.grpc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.caod.api.v1.EnvVar;
import dev.caod.terminal.TerminalException;
import dev.caod.tmux.TmuxException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;

/** What every thin gRPC service shares: running a domain call and mapping its failures to status codes. */
abstract class GrpcSupport {

    private static final Logger LOG = Logger.getLogger(GrpcSupport.class);

    static <T> Uni<T> answer(Supplier<T> call) {
        try {
            return Uni.createFrom().item(call.get());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(status(e));
        }
    }

    /** The status a domain failure answers with; the message names the problem and the fix. */
    static StatusRuntimeException status(RuntimeException failure) {
        return switch (failure) {
            case StatusRuntimeException e -> e;
            case TerminalException e -> (switch (e.kind()) {
                case NOT_FOUND -> Status.NOT_FOUND;
                case INVALID -> Status.INVALID_ARGUMENT;
                case PRECONDITION -> Status.FAILED_PRECONDITION;
                case UNAVAILABLE -> Status.UNAVAILABLE;
            }).withDescription(e.getMessage()).asRuntimeException();
            case IllegalArgumentException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage())
                    .asRuntimeException();
            case TmuxException e -> Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
            default -> unexpected(failure);
        };
    }

    private static StatusRuntimeException unexpected(RuntimeException e) {
        if (databaseLocked(e)) {
            LOG.warnf("a call waited out the database's busy timeout: %s", e.toString());
            return Status.UNAVAILABLE.withDescription("caod's database stayed locked by another process for longer"
                    + " than its busy timeout; nothing was changed. Find the process holding it (e.g. an open sqlite3"
                    + " shell: `fuser <state>/caod.db`), end it, and retry").asRuntimeException();
        }
        LOG.error("unexpected failure", e);
        return Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
    }

    /**
     * SQLite's "database is locked" (SQLITE_BUSY) anywhere in the cause chain, suppressed exceptions included. When
     * the lock outlasts the busy timeout at {@code BEGIN IMMEDIATE}, the driver reports it only later, as "cannot
     * commit - no transaction is active" (every caod transaction begins immediately, so that is the only way there).
     */
    static boolean databaseLocked(Throwable e) {
        java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>(List.of(e));
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Throwable c = todo.pop();
            if (!seen.add(c)) {
                continue;
            }
            String m = String.valueOf(c.getMessage());
            if (m.contains("SQLITE_BUSY") || m.contains("database is locked")
                    || m.contains("cannot commit - no transaction is active")) {
                return true;
            }
            if (c.getCause() != null) {
                todo.push(c.getCause());
            }
            todo.addAll(List.of(c.getSuppressed()));
        }
        return false;
    }

    static Map<String, String> env(List<EnvVar> vars) {
        Map<String, String> env = new LinkedHashMap<>();
        vars.forEach(v -> env.put(v.getName(), v.getValue()));
        return env;
    }
}
