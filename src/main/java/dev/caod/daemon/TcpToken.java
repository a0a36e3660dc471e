package dev.caod.daemon;

import java.io.IOException;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The shared secret a client must present to call gRPC over loopback TCP. Any local user can open a TCP port, so
 * the socket's file-mode guard has to be replaced by something only the owner can read: a 0600 file.
 */
@ApplicationScoped
public class TcpToken {

    private static final String BEARER = "Bearer ";

    @Inject
    DaemonConfig config;

    private volatile byte[] token;

    public Path file() {
        return config.grpc().tcp().tokenFile().orElse(config.stateDir().resolve("grpc-token"));
    }

    /** Reads the token, creating it on first use. */
    public synchronized byte[] load() throws IOException {
        if (token == null) {
            token = SecretFile.readOrCreate(file());
        }
        return token;
    }

    /** Constant-time check of an {@code authorization} header value. */
    public boolean accepts(String authorization) {
        return authorization != null && authorization.startsWith(BEARER)
                && SecretFile.matches(token, authorization.substring(BEARER.length()));
    }
}
