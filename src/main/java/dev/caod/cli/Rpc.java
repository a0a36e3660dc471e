package dev.caod.cli;

import java.io.PrintWriter;
import java.util.function.Function;

import com.google.protobuf.MessageOrBuilder;

import dev.caod.api.v1.SessionServiceGrpc;
import io.grpc.StatusRuntimeException;

/** One client call: connect, call, turn a gRPC failure into a CLI error with its exit code, print the answer. */
final class Rpc {

    private Rpc() {
    }

    static <T extends MessageOrBuilder> T sessions(ClientOptions options,
            Function<SessionServiceGrpc.SessionServiceBlockingStub, T> call) {
        return call(options, SessionServiceGrpc::newBlockingStub, call);
    }

    /** Connects, makes a stub of the service, calls it, and turns a gRPC failure into the CLI's error. */
    static <S extends io.grpc.stub.AbstractStub<S>, T extends MessageOrBuilder> T call(ClientOptions options,
            Function<io.grpc.Channel, S> stubOf, Function<S, T> call) {
        try (DaemonClient client = DaemonClient.connect(options)) {
            try {
                return call.apply(client.stub(stubOf.apply(client.channel())));
            } catch (StatusRuntimeException e) {
                throw client.explain(e);
            }
        }
    }

    /** JSON when asked for, else the given text form. */
    static void print(ClientOptions options, PrintWriter out, MessageOrBuilder answer, Runnable text) {
        if (options.json()) {
            Json.print(out, answer);
        } else {
            text.run();
            out.flush();
        }
    }
}
