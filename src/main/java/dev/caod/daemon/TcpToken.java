package dev.caod.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

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
            Path file = file();
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Files.createDirectories(file.getParent());
                Files.writeString(file, value + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            token = Files.readString(file, StandardCharsets.US_ASCII).trim().getBytes(StandardCharsets.US_ASCII);
        }
        return token;
    }

    /** Constant-time check of an {@code authorization} header value. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER) || token == null) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, token);
    }
}
