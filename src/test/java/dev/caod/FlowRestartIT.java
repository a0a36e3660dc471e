package dev.caod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Flows across a restart of the packaged daemon: a scheduled time missed while caod was down gets one catch-up run,
 * and a flow disabled with `caod flow disable` stays disabled.
 */
class FlowRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static Path home;

    @AfterAll
    static void cleanUp() throws Exception {
        ServeProcessIT.removeHome(home);
    }

    private static void flow(String name) throws Exception {
        Files.createDirectories(home.resolve("config/flows"));
        Files.writeString(home.resolve("config/flows/" + name + ".md"), "---\nname: " + name + "\nschedule: \"0 * * * *\"\n"
                + "agent_profile: developer\nprovider: demo\nworking_directory: " + home.resolve("work") + "\n---\n"
                + "hourly check\n");
    }

    @Test
    void aMissedRunIsCaughtUpOnceAndDisablingIsRemembered() throws Exception {
        home = Files.createTempDirectory("caod-it-flows");
        Files.createDirectories(home.resolve("work"));
        flow("hourly");
        flow("quiet");
        Process daemon = ServeProcessIT.serve(home, "daemon.log");
        Process again = null;
        try {
            ServeProcessIT.awaitServing(home, daemon);
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "flow", "list").out().contains("quiet"));
            var disabled = ServeProcessIT.caod(home, "flow", "disable", "quiet");
            assertEquals(0, disabled.code(), disabled.toString());
            assertTrue(ServeProcessIT.caod(home, "flow", "runs").out().isBlank(), "nothing ran yet");
            daemon.destroy();
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));

            // caod was "down" for two hours: the hourly flow missed at least one time
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("state/caod.db"))) {
                long twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
                assertEquals(2, db.createStatement().executeUpdate("UPDATE flows SET last_fire_at = " + twoHoursAgo));
            }
            again = ServeProcessIT.serve(home, "daemon-2.log");
            ServeProcessIT.awaitServing(home, again);
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "flow", "runs", "hourly").out()
                    .contains("succeeded"));
            String runs = ServeProcessIT.caod(home, "flow", "runs").out();
            assertEquals(1, runs.lines().filter(l -> l.contains("hourly")).count(), "one catch-up run:\n" + runs);
            assertTrue(runs.lines().noneMatch(l -> l.contains("quiet")), "a disabled flow does not catch up:\n" + runs);
            String list = ServeProcessIT.caod(home, "flow", "list").out();
            assertTrue(list.lines().anyMatch(l -> l.startsWith("quiet") && l.contains("disabled")), list);
            assertTrue(list.lines().anyMatch(l -> l.startsWith("hourly") && l.contains("enabled")), list);
        } finally {
            daemon.destroyForcibly();
            if (again != null) {
                again.destroy();
                again.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }
}
