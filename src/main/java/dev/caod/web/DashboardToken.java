package dev.caod.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.caod.daemon.DaemonConfig;
import dev.caod.daemon.SecretFile;
import io.quarkus.runtime.StartupEvent;

/**
 * The dashboard's secret: the browser presents it once (the link {@code caod dashboard} prints) and gets it back as an
 * HttpOnly, SameSite=Strict cookie. Any local user can reach the loopback port; only the owner can read this file.
 */
@ApplicationScoped
public class DashboardToken {

    /** Beside the database: {@code caod dashboard} finds it from the daemon's state folder. */
    public static final String FILE_NAME = "dashboard-token";

    private final Path file;
    private volatile byte[] token;

    public DashboardToken(DaemonConfig config) {
        this.file = config.stateDir().resolve(FILE_NAME);
    }

    /** Made at start, so the first `caod dashboard` finds it. */
    void start(@Observes @Priority(5) StartupEvent start) {
        try {
            token = SecretFile.readOrCreate(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the dashboard token " + file + ": " + e.getMessage()
                    + ". Check that the state folder is writable.", e);
        }
    }

    public boolean accepts(String presented) {
        return SecretFile.matches(token, presented);
    }
}
