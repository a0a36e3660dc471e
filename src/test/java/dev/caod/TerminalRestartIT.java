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

import dev.caod.api.v1.AwaitStatusRequest;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.TerminalLifecycle;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.cli.DaemonClient;

/**
 * The terminal runtime through the packaged daemon and the `caod` CLI as real processes: agents outlive a daemon
 * restart and the restarted daemon re-adopts them, also across the change from one shared tmux server (the layout
 * before 2026-12, still {@code caod.tmux.servers=shared}) to a server per session (the default).
 */
class TerminalRestartIT {

    private static Path home;

    @AfterAll
    static void cleanUp() throws Exception {
        ServeProcessIT.removeHome(home);
    }

    @Test
    void agentsOutliveADaemonRestartAndAreReadopted() throws Exception {
        home = Files.createTempDirectory("caod-it-restart");
        Process daemon = ServeProcessIT.serve(home, "daemon-1.log", "-Dcaod.tmux.servers=shared");
        ServeProcessIT.awaitServing(home, daemon);

        var created = ServeProcessIT.caod(home, "session", "create", "--profile", "developer", "--provider", "demo",
                "--working-dir", home.toString());
        assertEquals(0, created.code(), created.toString());
        Matcher id = Pattern.compile("(?m)^([a-z0-9]{8})\\s+demo\\s").matcher(created.out());
        assertTrue(id.find(), created.out());
        String terminal = id.group(1);
        assertTrue(awaitStatus(terminal, TerminalStatus.TERMINAL_STATUS_IDLE));

        var sent = ServeProcessIT.caod(home, "terminal", "send", terminal, "before the restart");
        assertEquals(0, sent.code(), sent.toString());
        assertTrue(awaitStatus(terminal, TerminalStatus.TERMINAL_STATUS_COMPLETED));

        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
        var gone = ServeProcessIT.caod(home, "terminal", "list");
        assertEquals(3, gone.code(), "no daemon: " + gone);

        Process again = ServeProcessIT.serve(home, "daemon-2.log");
        try {
            ServeProcessIT.awaitServing(home, again);
            await().atMost(Duration.ofSeconds(60)).until(() -> terminal(terminal).getLifecycle()
                    == TerminalLifecycle.TERMINAL_LIFECYCLE_RUNNING);
            var resent = ServeProcessIT.caod(home, "terminal", "send", terminal, "after the restart");
            assertEquals(0, resent.code(), resent.toString());
            assertTrue(awaitStatus(terminal, TerminalStatus.TERMINAL_STATUS_COMPLETED));
            var output = ServeProcessIT.caod(home, "terminal", "output", terminal);
            assertTrue(output.out().strip().endsWith("Task was: after the restart"), output.toString());

            var sent2 = ServeProcessIT.caod(home, "send", terminal, "a note via the inbox");
            assertEquals(0, sent2.code(), sent2.toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> ServeProcessIT.caod(home, "inbox", terminal).out()
                    .contains("delivered"));

            // the old session stays on the shared server; a new one gets a server of its own
            String oldSession = terminal(terminal).getSessionId();
            assertEquals(ServeProcessIT.TMUX_SOCKET, session(oldSession).getTmuxSocket());
            var created2 = ServeProcessIT.caod(home, "session", "create", "--profile", "developer", "--provider",
                    "demo", "--working-dir", home.toString());
            assertEquals(0, created2.code(), created2.toString());
            String newSession = created2.out().lines().findFirst().orElseThrow().split("\\s+")[0];
            var fresh = session(newSession);
            assertEquals(TmuxServers.ofSession(ServeProcessIT.TMUX_SOCKET, fresh.getTmuxSession()),
                    fresh.getTmuxSocket());
            assertEquals(0, TmuxServers.run(fresh.getTmuxSocket(), "has-session", "-t", "=" + fresh.getTmuxSession())
                    .exitCode());
            assertEquals(0, ServeProcessIT.caod(home, "session", "delete", newSession).code());

            var closed = ServeProcessIT.caod(home, "terminal", "close", terminal);
            assertEquals(0, closed.code(), closed.toString());
            assertEquals(TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED, terminal(terminal).getLifecycle());
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static boolean awaitStatus(String id, TerminalStatus status) {
        try (DaemonClient client = DaemonClient.forSocket(ServeProcessIT.socket(home), Duration.ofSeconds(90))) {
            return SessionServiceGrpc.newBlockingStub(client.channel()).withDeadlineAfter(90, TimeUnit.SECONDS)
                    .awaitStatus(AwaitStatusRequest.newBuilder().setTerminalId(id).addAnyOf(status)
                            .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build())
                    .getReached();
        }
    }

    private static dev.caod.api.v1.Session session(String id) {
        try (DaemonClient client = DaemonClient.forSocket(ServeProcessIT.socket(home), Duration.ofSeconds(30))) {
            return SessionServiceGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getSession(dev.caod.api.v1.GetSessionRequest.newBuilder().setSessionId(id).build()).getSession();
        }
    }

    private static dev.caod.api.v1.Terminal terminal(String id) {
        try (DaemonClient client = DaemonClient.forSocket(ServeProcessIT.socket(home), Duration.ofSeconds(30))) {
            return SessionServiceGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getTerminal(GetTerminalRequest.newBuilder().setTerminalId(id).build()).getTerminal();
        }
    }
}
