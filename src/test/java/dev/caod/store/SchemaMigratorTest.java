package dev.caod.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations against real SQLite files, opened with the daemon's own connection settings. */
class SchemaMigratorTest {

    private static final String SETTINGS = "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true"
            + "&transaction_mode=IMMEDIATE";

    @TempDir
    Path tmp;

    private Connection open(String name) throws SQLException {
        // the driver itself, not DriverManager: which class loader registered it first depends on the test order
        return new org.sqlite.JDBC().connect("jdbc:sqlite:" + tmp.resolve(name) + SETTINGS, new java.util.Properties());
    }

    @Test
    void freshDatabaseGetsEveryTableTheSpecNeeds() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(SchemaMigrator.PRODUCTION_MIGRATIONS);
        try (Connection c = open("fresh.db")) {
            assertEquals(migrator.latestVersion(), migrator.migrate(c));
            assertEquals(migrator.latestVersion(), SchemaMigrator.currentVersion(c));
            List<String> tables = strings(c, "SELECT name FROM sqlite_master WHERE type = 'table'");
            for (String t : List.of("sessions", "terminals", "messages", "flows", "flow_runs", "events",
                    "schema_migrations")) {
                assertTrue(tables.contains(t), "missing table " + t + " in " + tables);
            }
            assertEquals(0, migrator.migrate(c), "a second run must be a no-op");
            assertEquals(List.of(String.valueOf(migrator.latestVersion())),
                    strings(c, "SELECT max(version) FROM schema_migrations"));
        }
    }

    @Test
    void foreignKeysAreEnforced() throws SQLException {
        try (Connection c = open("fk.db")) {
            new SchemaMigrator(SchemaMigrator.PRODUCTION_MIGRATIONS).migrate(c);
            SQLException e = assertThrows(SQLException.class, () -> exec(c, "INSERT INTO terminals (ref, session_id,"
                    + " tmux_window, provider, profile, working_directory, status_since, created_at, last_active_at)"
                    + " VALUES ('aaaaaaaa', 999, 'w', 'demo', 'p', '/', 0, 0, 0)"));
            assertTrue(e.getMessage().contains("FOREIGN KEY"), e.getMessage());
        }
    }

    @Test
    void upgradeKeepsExistingRows() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator("db/test-migration");
        try (Connection c = open("upgrade.db")) {
            assertEquals(1, migrator.migrate(c, 1));
            exec(c, "INSERT INTO notes (body) VALUES ('kept across the upgrade')");
            assertEquals(1, migrator.migrate(c, 2));
            assertEquals(2, SchemaMigrator.currentVersion(c));
            assertEquals(List.of("kept across the upgrade|unknown"), strings(c, "SELECT body || '|' || author FROM notes"));
        }
    }

    @Test
    void productionChainUpgradesAVersionOneDatabaseWithData() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator(SchemaMigrator.PRODUCTION_MIGRATIONS);
        try (Connection c = open("v1.db")) {
            migrator.migrate(c, 1);
            exec(c, "INSERT INTO sessions (ref, name, tmux_session, working_directory, created_at)"
                    + " VALUES ('abcdefgh', 'team', 'caod-team', '/work', 1)");
            exec(c, "INSERT INTO events (at, kind, payload) VALUES (1, 'daemon', '{}')");
            migrator.migrate(c);
            assertEquals(migrator.latestVersion(), SchemaMigrator.currentVersion(c));
            assertEquals(List.of("team"), strings(c, "SELECT name FROM sessions"));
            assertEquals(List.of("1"), strings(c, "SELECT count(*) FROM events"));
        }
    }

    @Test
    void aFailingMigrationRollsBackWholeAndNamesItself() throws SQLException {
        SchemaMigrator migrator = new SchemaMigrator("db/test-migration");
        try (Connection c = open("broken.db")) {
            migrator.migrate(c, 2);
            SQLException e = assertThrows(SQLException.class, () -> migrator.migrate(c));
            assertTrue(e.getMessage().contains("V3"), e.getMessage());
            assertEquals(2, SchemaMigrator.currentVersion(c));
            assertFalse(strings(c, "SELECT name FROM sqlite_master").contains("half_done"));
        }
    }

    @Test
    void refusesADatabaseFromANewerCaod() throws SQLException {
        try (Connection c = open("newer.db")) {
            exec(c, "PRAGMA user_version = 999");
            SQLException e = assertThrows(SchemaMigrator.SchemaTooNew.class,
                    () -> new SchemaMigrator(SchemaMigrator.PRODUCTION_MIGRATIONS).migrate(c));
            assertTrue(e.getMessage().contains("newer caod"), e.getMessage());
        }
    }

    @Test
    void splitsStatementsAndDropsComments() {
        assertEquals(List.of("CREATE TABLE a (x)", "CREATE TABLE b (y)"),
                SchemaMigrator.statements("-- header; with a semicolon\nCREATE TABLE a (x); -- trailing\n"
                        + "CREATE TABLE b (y);\n"));
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
