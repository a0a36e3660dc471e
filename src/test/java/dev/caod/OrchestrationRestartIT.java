package dev.caod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged daemon killed (SIGKILL) while a supervisor waits on a handoff and a message waits in its inbox: after
 * the restart the worker's answer still reaches the supervisor, the message is delivered, and the handoff has its
 * outcome in the session's log.
 */
class OrchestrationRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static Path home;

    @AfterAll
    static void cleanUp() throws Exception {
        ServeProcessIT.removeHome(home);
    }

    @Test
    void aKilledDaemonLosesNeitherTheHandoffsAnswerNorThePendingMessage() throws Exception {
        home = Files.createTempDirectory("caod-it-orchestration");
        // the developer works long enough for the daemon to die in the middle of the handoff
        Files.createDirectories(home.resolve("config/demo"));
        Files.writeString(home.resolve("config/demo/developer.yaml"), """
                name: developer
                default:
                  - think: 10s
                  - reply: "Result: built while caod was down"
                """);
        Process daemon = ServeProcessIT.serve(home, "daemon.log");
        ServeProcessIT.awaitServing(home, daemon);
        Process again = null;
        try {
            var created = ServeProcessIT.caod(home, "session", "create", "--profile", "code_supervisor", "--provider",
                    "demo", "--working-dir", home.toString());
            assertEquals(0, created.code(), created.toString());
            // first line: the session; second: its supervisor terminal
            String sessionId = created.out().lines().findFirst().orElseThrow().split("\\s+")[0];
            Matcher id = Pattern.compile("(?m)^([a-z0-9]{8})\\s+demo\\s").matcher(created.out());
            assertTrue(id.find(), created.out());
            String sup = id.group(1);
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "terminal", "show", sup).out().contains("idle"));

            assertEquals(0, ServeProcessIT.caod(home, "terminal", "send", sup, "a parser").code());
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "session", "log", sessionId).out()
                    .contains("task typed into"));
            var queued = ServeProcessIT.caod(home, "send", sup, "a note kept across the crash");
            assertEquals(0, queued.code(), queued.toString());
            assertTrue(queued.out().contains("pending"), "the supervisor is busy waiting: " + queued);

            daemon.destroyForcibly(); // SIGKILL: no chance to tidy up
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));

            again = ServeProcessIT.serve(home, "daemon-2.log");
            ServeProcessIT.awaitServing(home, again);
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "session", "log", sessionId).out()
                    .contains("ended completed"));
            String log = ServeProcessIT.caod(home, "session", "log", sessionId).out();
            assertTrue(log.contains("resumed after a restart, result sent to " + sup), log);

            await().atMost(WAIT).until(() -> {
                String inbox = ServeProcessIT.caod(home, "inbox", sup).out();
                return inbox.lines().filter(l -> l.contains("delivered")).count() == 2;
            });
            String inbox = ServeProcessIT.caod(home, "inbox", sup).out();
            assertTrue(inbox.contains("a note kept across the crash"), inbox);
            assertTrue(inbox.contains("Result of the handoff you started"), inbox);
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "terminal", "output", sup, "--mode", "full")
                    .out().contains("Result: built while caod was down"));
        } finally {
            daemon.destroyForcibly();
            if (again != null) {
                again.destroy();
                again.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }
}
