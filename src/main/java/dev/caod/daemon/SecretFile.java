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

/**
 * A random token kept in a file only its owner can read (0600): what stands in for the Unix socket's file mode on a
 * channel any local user can reach (loopback TCP, the web dashboard).
 */
public final class SecretFile {

    private SecretFile() {
    }

    /** Reads the token, creating the file with 32 random bytes on first use; tightens its mode either way. */
    public static byte[] readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, value + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return Files.readString(file, StandardCharsets.US_ASCII).trim().getBytes(StandardCharsets.US_ASCII);
    }

    /** Constant-time comparison; false for a missing token on either side. */
    public static boolean matches(byte[] token, String presented) {
        return token != null && presented != null
                && MessageDigest.isEqual(presented.trim().getBytes(StandardCharsets.US_ASCII), token);
    }
}
