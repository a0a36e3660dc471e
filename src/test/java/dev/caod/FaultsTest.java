package dev.caod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.SendMessageRequest;
import dev.caod.cli.DaemonClient;
import dev.caod.event.EventBus;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The fault suite, in-process part: things that break under a running daemon (a pane closed by hand, the tmux server
 * killed, transcripts that cannot be written, the database locked by another process). Each is detected, reported as
 * a status and an event (or a clear error to the caller), and the daemon carries on. Daemon restarts during work are
 * in the *RestartIT tests, flow scripts that hang in FlowTest.
 */
@QuarkusTest
class FaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TerminalService terminals;
    @Inject
    EventBus events;

    private final List<Event> faults = new CopyOnWriteArrayList<>();
    private AutoCloseable subscription;
    private final List<String> sessions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void watchFaults() {
        subscription = events.subscribe(e -> {
            if (e.hasFault()) {
                faults.add(e);
            }
        });
    }

    @AfterEach
    void cleanUp() throws Exception {
        subscription.close();
        for (String s : sessions) {
            try {
                terminals.deleteSession(s);
            } catch (RuntimeException e) {
                // already gone with its tmux server
            }
        }
    }

    private TerminalView agent() {
        var created = terminals.createSession("agent", "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        sessions.add(created.session().id());
        TerminalView t = created.supervisor();
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.IDLE), WAIT).reached());
        return t;
    }

    private void task(TerminalView t, String text) {
        terminals.sendInput(t.id(), text, false, false);
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached());
        assertEquals("DEMO-ECHO: " + text, terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());
    }

    private String transcript(TerminalView t) {
        return terminals.output(t.id(), TerminalService.OutputMode.TRANSCRIPT, 0).text();
    }

    /** A tmux command on the server of {@code t}'s session (each session has its own). */
    private void tmux(TerminalView t, String... args) {
        String socket = TmuxServers.ofSession(CaodTestHome.TMUX_SOCKET,
                terminals.session(t.sessionId(), false).tmuxSession());
        TmuxServers.Result r = TmuxServers.run(socket, args);
        assertEquals(0, r.exitCode(), r.output());
    }

    private boolean faultFor(String terminal, String component) {
        return faults.stream().anyMatch(e -> e.getTerminalId().equals(terminal)
                && e.getFault().getComponent().equals(component));
    }

    @Test
    void aWindowClosedByHandIsAnErrorAndAFaultKeepsItsTranscriptAndTheOthersCarryOn() throws Exception {
        TerminalView victim = agent();
        TerminalView bystander = agent();
        task(victim, "before the fault");
        // kept at the turn's end, before anything goes wrong
        await().atMost(WAIT).until(() -> transcript(victim).contains("DEMO-ECHO: before the fault"));

        tmux(victim, "kill-window", "-t", victim.tmuxWindow());

        await().atMost(WAIT).until(() -> terminals.terminal(victim.id()).lifecycle() == Lifecycle.EXITED);
        TerminalView gone = terminals.terminal(victim.id());
        assertEquals(AgentStatus.ERROR, gone.status());
        assertTrue(gone.statusRule().startsWith("pane-gone"), gone.statusRule());
        await().atMost(WAIT).until(() -> faultFor(victim.id(), "tmux"));
        assertTrue(transcript(victim).contains("DEMO-ECHO: before the fault"), "what it did is still readable");
        task(bystander, "after the fault");
    }

    @Test
    void aCrashedTmuxServerEndsOnlyItsOwnSessionsTerminalsAsFaultsAndNewSessionsStillStart() throws Exception {
        TerminalView first = agent();
        TerminalView worker = terminals.createTerminal(first.sessionId(), "agent", "demo", null, first.id(), Map.of());
        TerminalView otherTeam = agent();
        task(first, "work done before");

        // as a tmux segfault would: the server of the first session dies at once
        long serverPid = Long.parseLong(TmuxServers.run(TmuxServers.ofSession(CaodTestHome.TMUX_SOCKET,
                terminals.session(first.sessionId(), false).tmuxSession()), "display-message", "-p", "#{pid}")
                .output().strip());
        ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();

        for (TerminalView t : List.of(first, worker)) {
            await().atMost(WAIT).until(() -> terminals.terminal(t.id()).lifecycle() == Lifecycle.EXITED);
            await().atMost(WAIT).until(() -> faultFor(t.id(), "tmux"));
        }
        await().atMost(WAIT).until(() -> transcript(first).contains("DEMO-ECHO: work done before"));
        // the other team has a server of its own: it works on as if nothing happened
        assertEquals(Lifecycle.RUNNING, terminals.terminal(otherTeam.id()).lifecycle());
        assertFalse(faultFor(otherTeam.id(), "tmux"));
        task(otherTeam, "still here");
        // several at once, as flows due together do: only one of them may start the new server (tmux 3.3a's
        // servers die when started concurrently)
        List<java.util.concurrent.Future<TerminalView>> starting = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                starting.add(pool.submit(this::agent));
            }
        }
        for (var started : starting) {
            task(started.get(), "on a new tmux server");
        }
    }

    @Test
    void aTranscriptThatCannotBeWrittenIsAFaultAndTheCloseStillCompletes() throws Exception {
        TerminalView t = agent();
        // the session's transcript folder is a file: every write into it fails, as on a full or broken disk
        Path folder = CaodTestHome.paths().stateDir().resolve("transcripts").resolve(t.sessionId());
        Files.createDirectories(folder.getParent());
        Files.writeString(folder, "not a folder");
        try {
            assertEquals(Lifecycle.EXITED, terminals.close(t.id()).lifecycle());
            await().atMost(WAIT).until(() -> faultFor(t.id(), "transcript"));
            assertTrue(faults.stream().filter(e -> e.getTerminalId().equals(t.id())).findFirst().orElseThrow()
                    .getFault().getFix().contains("transcripts"));
        } finally {
            Files.delete(folder);
        }
        task(agent(), "still serving");
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsAClearErrorAndNothingIsLost() throws Exception {
        TerminalView receiver = agent();
        try (DaemonClient client = DaemonClient.forSocket(CaodTestHome.paths().defaultSocket(), Duration.ofSeconds(90))) {
            var messaging = client.stub(MessagingServiceGrpc.newBlockingStub(client.channel()));
            SendMessageRequest note = SendMessageRequest.newBuilder().setReceiverTerminalId(receiver.id())
                    .setBody("after the lock").build();
            // (the driver itself: DriverManager would register it for this test's class loader only)
            try (Connection other = new org.sqlite.JDBC().connect("jdbc:sqlite:"
                    + CaodTestHome.paths().defaultDatabase(), new java.util.Properties());
                    Statement st = other.createStatement()) {
                st.execute("BEGIN EXCLUSIVE"); // another process holding the write lock (an open sqlite3 shell)
                StatusRuntimeException locked = assertThrows(StatusRuntimeException.class,
                        () -> messaging.sendMessage(note));
                assertEquals(Status.Code.UNAVAILABLE, locked.getStatus().getCode(), locked.getStatus().toString());
                assertTrue(locked.getStatus().getDescription().contains("locked by another process"),
                        locked.getStatus().getDescription());
                st.execute("ROLLBACK");
            }
            messaging.sendMessage(note);
            await().atMost(WAIT).until(() -> terminals.output(receiver.id(), TerminalService.OutputMode.FULL, 0)
                    .text().contains("DEMO-ECHO: [message from a person or tool (over caod)] after the lock"));
        }
    }
}
