package dev.caod.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.caod.daemon.SocketChannel;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;

/** A gRPC channel to the daemon, over its Unix socket or (with a token) its loopback TCP port. */
public final class DaemonClient implements AutoCloseable {

    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    /** The socket channel and its event loop; null over TCP. */
    private final SocketChannel socket;
    private final java.time.Duration callTimeout;
    private final String target;
    private final CallCredentials credentials;

    private DaemonClient(ManagedChannel channel, SocketChannel socket, java.time.Duration callTimeout,
            String target, CallCredentials credentials) {
        this.channel = channel;
        this.socket = socket;
        this.callTimeout = callTimeout;
        this.target = target;
        this.credentials = credentials;
    }

    public static DaemonClient connect(ClientOptions options) {
        if (options.tcp != null) {
            String token = readToken(options.tokenFilePath());
            ManagedChannel channel = NettyChannelBuilder.forTarget(options.tcp).usePlaintext().build();
            return new DaemonClient(channel, null, options.callTimeout(), "tcp " + options.tcp, bearer(token));
        }
        Path socket = options.socketPath();
        if (!Files.exists(socket)) {
            throw new CliException(ExitCode.DAEMON_UNAVAILABLE, "caod is not running: there is no socket at " + socket
                    + ". Start it with `bin/caod serve` (or `systemctl --user start caod`). A daemon started with"
                    + " another CAOD_HOME listens elsewhere: pass --socket, or run `caod doctor`.");
        }
        return forSocket(socket, options.callTimeout());
    }

    /** A client of the daemon listening on {@code socket}; for tools and tests that skip the option parsing. */
    public static DaemonClient forSocket(Path socket, java.time.Duration callTimeout) {
        SocketChannel opened = SocketChannel.open(socket);
        return new DaemonClient(opened.channel(), opened, callTimeout, "socket " + socket, null);
    }

    /** Applies the call timeout and credentials every call of this client shares. */
    public <S extends AbstractStub<S>> S stub(S stub) {
        S configured = stub.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return credentials == null ? configured : configured.withCallCredentials(credentials);
    }

    public ManagedChannel channel() {
        return channel;
    }

    /** Turns a failed call into one line that says what went wrong and what to do. */
    public CliException explain(StatusRuntimeException e) {
        Status status = e.getStatus();
        String detail = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        return switch (status.getCode()) {
            case UNAVAILABLE -> new CliException(ExitCode.DAEMON_UNAVAILABLE, "cannot reach caod on " + target + " ("
                    + detail + "). Is the daemon running? Check with `caod doctor`; start it with `bin/caod serve`.");
            case DEADLINE_EXCEEDED -> new CliException(ExitCode.TIMEOUT, "caod on " + target + " did not answer within "
                    + callTimeout.toSeconds() + " s; retry with a larger --call-timeout.");
            default -> new CliException(ExitCode.of(status.getCode()), detail);
        };
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
            return;
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new CliException(ExitCode.DENIED, "cannot read the TCP token from " + file + " (" + e.getMessage()
                    + "). Pass --token-file, or use the Unix socket instead of --tcp.");
        }
    }

    private static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, java.util.concurrent.Executor executor,
                    MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }
}
