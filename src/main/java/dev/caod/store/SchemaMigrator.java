package dev.caod.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a SQLite database to the newest schema by applying the hand-written migrations {@code V1.sql},
 * {@code V2.sql}, … of a class-path folder in order, each in its own transaction.
 *
 * <p>Hand-written because Hibernate's SQLite DDL drops foreign keys, and the Flyway extension does not resolve
 * here. The version lives in {@code PRAGMA user_version} (atomic with the migration) and each step is also recorded
 * in {@code schema_migrations} for people and {@code caod doctor}.
 */
public final class SchemaMigrator {

    public static final String PRODUCTION_MIGRATIONS = "db/migration";

    /** One migration file: its version and the description from its first comment line. */
    public record Migration(int version, String description, String sql) {
    }

    /** Thrown when the database is newer than this build: starting would risk what is stored. */
    public static final class SchemaTooNew extends SQLException {
        SchemaTooNew(int found, int known) {
            super("the database has schema version " + found + " but this caod only knows up to " + known
                    + ": it was written by a newer caod. Run that version, or point CAOD_HOME elsewhere.");
        }
    }

    private final List<Migration> migrations;

    public SchemaMigrator(String folder) {
        this.migrations = load(folder);
    }

    public List<Migration> migrations() {
        return migrations;
    }

    public int latestVersion() {
        return migrations.isEmpty() ? 0 : migrations.getLast().version();
    }

    public static int currentVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Applies the missing migrations up to {@code target}; returns how many ran. */
    public int migrate(Connection connection, int target) throws SQLException {
        int current = currentVersion(connection);
        if (current > latestVersion()) {
            throw new SchemaTooNew(current, latestVersion());
        }
        boolean autoCommit = connection.getAutoCommit();
        int applied = 0;
        try {
            for (Migration migration : migrations) {
                if (migration.version() <= current || migration.version() > target) {
                    continue;
                }
                apply(connection, migration);
                applied++;
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return applied;
    }

    public int migrate(Connection connection) throws SQLException {
        return migrate(connection, latestVersion());
    }

    private static void apply(Connection connection, Migration migration) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                    + " description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            for (String sql : statements(migration.sql())) {
                st.execute(sql);
            }
            try (PreparedStatement record = connection.prepareStatement(
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
                record.setInt(1, migration.version());
                record.setString(2, migration.description());
                record.setLong(3, System.currentTimeMillis());
                record.executeUpdate();
            }
            st.execute("PRAGMA user_version = " + migration.version());
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw new SQLException("migration V" + migration.version() + " (" + migration.description()
                    + ") failed and was rolled back: " + e.getMessage(), e);
        }
    }

    /** Splits a migration into statements; our files keep semicolons out of strings and comments. */
    static List<String> statements(String sql) {
        StringBuilder code = new StringBuilder();
        for (String line : sql.split("\n")) {
            int comment = line.indexOf("--");
            code.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String part : code.toString().split(";")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static List<Migration> load(String folder) {
        List<Migration> found = new ArrayList<>();
        ClassLoader loader = SchemaMigrator.class.getClassLoader();
        // numbered files, read until the first gap: no class-path scanning, so it also works in a native image
        for (int version = 1;; version++) {
            try (InputStream in = loader.getResourceAsStream(folder + "/V" + version + ".sql")) {
                if (in == null) {
                    return found;
                }
                String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                found.add(new Migration(version, describe(sql), sql));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read migration " + folder + "/V" + version + ".sql", e);
            }
        }
    }

    private static String describe(String sql) {
        String first = sql.lines().findFirst().orElse("").strip();
        return first.startsWith("--") ? first.substring(2).strip() : "(no description)";
    }
}
