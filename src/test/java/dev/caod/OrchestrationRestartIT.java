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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged daemon stopped (SIGTERM) or killed (SIGKILL) while a supervisor waits on a handoff and a message waits
 * in its inbox: after the restart the worker's answer still reaches the supervisor, the message is delivered, and the
 * handoff has its outcome in the session's log.
 */
class OrchestrationRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private Path home;

    @AfterEach
    void cleanUp() throws Exception {
        ServeProcessIT.removeHome(home);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RestartDuringWorkIT.Stop.class)
    void aStoppedDaemonLosesNeitherTheHandoffsAnswerNorThePendingMessage(RestartDuringWorkIT.Stop stop)
            throws Exception {
        home = Files.createTempDirectory("caod-it-orchestration-" + stop.name().toLowerCase());
        // the developer works long enough for the daemon to die in the middle of the handoff; a SIGTERM lets the
        // handoff's call run on for quarkus.shutdown.timeout (10 s), so the worker outlasts that too
        Files.createDirectories(home.resolve("config/demo"));
        Files.writeString(home.resolve("config/demo/developer.yaml"), """
                name: developer
                default:
                  - think: %s
                  - reply: "Result: built while caod was down"
                """.formatted(stop == RestartDuringWorkIT.Stop.SIGTERM ? "25s" : "10s"));
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

            if (stop == RestartDuringWorkIT.Stop.SIGTERM) {
                daemon.destroy();
            } else {
                daemon.destroyForcibly(); // no chance to tidy up
            }
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));

            again = ServeProcessIT.serve(home, "daemon-2.log");
            ServeProcessIT.awaitServing(home, again);
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "session", "log", sessionId).out()
                    .contains("ended completed"));
            String log = ServeProcessIT.caod(home, "session", "log", sessionId).out();
            // a stop may still see the handoff end within its grace period: then the answer came as the tool's result
            boolean resumed = log.contains("resumed after a restart, result sent to " + sup);
            assertTrue(resumed || stop == RestartDuringWorkIT.Stop.SIGTERM, log);

            await().atMost(WAIT).until(() -> {
                String inbox = ServeProcessIT.caod(home, "inbox", sup).out();
                return inbox.lines().filter(l -> l.contains("delivered")).count() == (resumed ? 2 : 1);
            });
            String inbox = ServeProcessIT.caod(home, "inbox", sup).out();
            assertTrue(inbox.contains("a note kept across the crash"), inbox);
            assertEquals(resumed, inbox.contains("Result of the handoff you started"), inbox);
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
