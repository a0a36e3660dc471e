package dev.caod.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code caod serve} does before Quarkus boots: make the folders, make sure no other daemon owns them, clear a
 * stale socket, and hand the resolved paths to Quarkus as system properties.
 */
public final class DaemonBootstrap {

    /** Held for the life of the JVM: releasing it would let a second daemon start beside this one. */
    private static DaemonLock heldLock;

    private DaemonBootstrap() {
    }

    /** Thrown when the daemon must not start; the message says why and what to do. */
    public static final class RefusedToStart extends Exception {
        public RefusedToStart(String message) {
            super(message);
        }
    }

    public static DaemonPaths prepare(DaemonPaths paths) throws RefusedToStart {
        Path socket = paths.defaultSocket();
        int socketBytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (socketBytes > DaemonPaths.MAX_SOCKET_PATH_BYTES) {
            throw new RefusedToStart("the socket path " + socket + " is " + socketBytes + " bytes long; Unix sockets"
                    + " allow " + DaemonPaths.MAX_SOCKET_PATH_BYTES + ". Set CAOD_HOME (or XDG_RUNTIME_DIR) to a"
                    + " shorter folder.");
        }
        try {
            paths.prepare();
        } catch (IOException e) {
            throw new RefusedToStart("cannot create caod's folders (" + e + "). Check the permissions of "
                    + paths.stateDir().getParent() + " and " + paths.runtimeDir().getParent()
                    + ", or set CAOD_HOME to a folder you own.");
        }
        Path lockFile = paths.runtimeDir().resolve("caod.lock");
        try {
            heldLock = DaemonLock.tryAcquire(lockFile).orElseThrow(() -> new RefusedToStart(
                    "another caod is already serving on " + socket
                            + DaemonLock.holderPid(lockFile).map(pid -> " (pid " + pid + ")").orElse("")
                            + ". Use it (`caod status`), stop it first (`systemctl --user stop caod` or kill that"
                            + " pid), or give this one its own CAOD_HOME."));
            // we own the folder now, so any socket file left behind belongs to a dead daemon
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new RefusedToStart("cannot take the daemon lock " + lockFile + " (" + e + ").");
        }
        exportToQuarkus(paths);
        return paths;
    }

    /** System properties outrank application.properties, so these fix the paths Quarkus derives its settings from. */
    static void exportToQuarkus(DaemonPaths paths) {
        System.setProperty("caod.config-dir", paths.configDir().toString());
        System.setProperty("caod.state-dir", paths.stateDir().toString());
        System.setProperty("caod.runtime-dir", paths.runtimeDir().toString());
        if (Files.isRegularFile(paths.configFile()) && System.getProperty("quarkus.config.locations") == null) {
            System.setProperty("quarkus.config.locations", paths.configFile().toUri().toString());
        }
    }
}
