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
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().failure(e);
        } catch (TerminalException e) {
            Status status = switch (e.kind()) {
                case NOT_FOUND -> Status.NOT_FOUND;
                case INVALID -> Status.INVALID_ARGUMENT;
                case PRECONDITION -> Status.FAILED_PRECONDITION;
                case UNAVAILABLE -> Status.UNAVAILABLE;
            };
            return Uni.createFrom().failure(status.withDescription(e.getMessage()).asRuntimeException());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (TmuxException e) {
            return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            LOG.error("unexpected failure", e);
            return Uni.createFrom().failure(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
        }
    }

    static Map<String, String> env(List<EnvVar> vars) {
        Map<String, String> env = new LinkedHashMap<>();
        vars.forEach(v -> env.put(v.getName(), v.getValue()));
        return env;
    }
}
