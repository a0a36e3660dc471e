package dev.caod.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.caod.daemon.DaemonConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Migrates the database before anything else touches it, and keeps its files private to the user. */
@ApplicationScoped
public class DatabaseSetup {

    /** Startup observers with a larger priority value run later; everything that reads the store comes after. */
    public static final int PRIORITY = 10;

    private static final Logger LOG = Logger.getLogger(DatabaseSetup.class);

    @Inject
    DataSource dataSource;

    @Inject
    DaemonConfig config;

    private volatile int schemaVersion;

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) throws SQLException, IOException {
        SchemaMigrator migrator = new SchemaMigrator(SchemaMigrator.PRODUCTION_MIGRATIONS);
        try (Connection connection = dataSource.getConnection()) {
            int applied = migrator.migrate(connection);
            schemaVersion = SchemaMigrator.currentVersion(connection);
            LOG.infof("database %s at schema v%d (%d migration(s) applied)", config.database().path(), schemaVersion,
                    applied);
        }
        restrictPermissions(config.database().path());
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    private static void restrictPermissions(Path db) throws IOException {
        // SQLite creates its files with the process umask; the folder is 0700 already, this is belt and braces
        for (String suffix : new String[] { "", "-wal", "-shm" }) {
            Path file = Path.of(db + suffix);
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }
}
