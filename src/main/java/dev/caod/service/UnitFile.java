package dev.caod.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/** {@code caod.service} in the user's systemd folder: read, written atomically, removed. */
public final class UnitFile {

    private final Path path;

    public UnitFile(Path path) {
        this.path = path;
    }

    /**
     * {@code $XDG_CONFIG_HOME/systemd/user/caod.service}, else {@code ~/.config/systemd/user/caod.service}: the first
     * folder of a user manager's search path that belongs to the user.
     */
    public static UnitFile inUserConfig(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        // the XDG spec says relative values are invalid and must be ignored (systemd does so too)
        Path config = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : home.resolve(".config");
        return new UnitFile(config.resolve("systemd").resolve("user").resolve(SystemdUnit.NAME));
    }

    public Path path() {
        return path;
    }

    public Optional<String> read() {
        try {
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Reason.FAILED, "cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Whether caod wrote this text: only such a file is replaced or removed without {@code --force}. */
    public static boolean writtenByCaod(String text) {
        return text.startsWith(SystemdUnit.MARKER + "\n");
    }

    /**
     * Writes through a temporary file in the same folder and renames it over the unit, so systemd never reads half a
     * file. 0644, like any unit: it holds no secrets and systemd must be able to read it.
     */
    public void write(String text) {
        Path dir = path.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + SystemdUnit.NAME + ".", ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Reason.FAILED, "cannot write " + path + ": " + e.getMessage()
                    + ". Check that " + dir + " is yours and writable.");
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover dot-file is harmless to systemd (not a unit name)
                }
            }
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ServiceException(ServiceException.Reason.FAILED, "cannot remove " + path + ": " + e.getMessage());
        }
    }
}
