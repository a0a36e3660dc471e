package dev.caod.terminal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.api.v1.Event;
import dev.caod.event.EventBus;
import dev.caod.tmux.Tmux;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The terminal runtime end to end with caod's own demo agent: real tmux (the tests' own server), real processes,
 * the real status engine and database.
 */
@QuarkusTest
class DemoTerminalTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TerminalService terminals;

    @Inject
    EventBus events;

    @Inject
    Tmux tmux;

    private final List<String> sessions = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() {
        sessions.forEach(s -> {
            try {
                terminals.deleteSession(s);
            } catch (RuntimeException e) {
                // already gone
            }
        });
    }

    private TerminalView startDemo(String profile) {
        var created = terminals.createSession(profile, "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        sessions.add(created.session().id());
        TerminalView t = created.supervisor();
        assertTrue(terminals.awaitReady(t.id(), WAIT).reached(), () -> "never ready: " + screen(t.id()));
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.IDLE), WAIT).reached(), () -> screen(t.id()));
        return terminals.terminal(t.id());
    }

    private String screen(String id) {
        return terminals.output(id, TerminalService.OutputMode.SCREEN, 0).text();
    }

    @Test
    void aTaskGoesIdleProcessingCompletedAndItsAnswerIsExtracted() {
        TerminalView t = startDemo("agent");
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = events.subscribe(e -> {
            if (e.getTerminalId().equals(t.id()) && e.hasStatusChanged()) {
                seen.add(e);
            }
        })) {
            var input = terminals.sendInput(t.id(), "hello there", false, false);
            assertEquals(0, input.resubmits());
            assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached(), () -> screen(t.id()));
            assertEquals("DEMO-ECHO: hello there", terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());
            assertTrue(seen.stream().anyMatch(e -> e.getStatusChanged().getCurrent().name().endsWith("PROCESSING")),
                    "processing was reported before completed: " + seen);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        var explained = terminals.explain(t.id());
        assertEquals(AgentStatus.COMPLETED, explained.verdict().status());
        assertEquals("demo.idle+answer", explained.verdict().rule());
        assertFalse(explained.verdict().matches().isEmpty());
    }

    @Test
    void aSwallowedEnterIsPressedAgain() {
        TerminalView t = startDemo("deaf");
        var sent = terminals.sendInput(t.id(), "are you there", false, false);
        assertEquals(1, sent.resubmits(), "the first Enter was lost, the second one was taken");
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached(), () -> screen(t.id()));
        assertEquals("HEARD: are you there", terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());
    }

    @Test
    void anyTextArrivesVerbatimAsOneMessage() {
        TerminalView t = startDemo("agent");
        String text = "line one with \"double\" and 'single' quotes\nsecond line $(echo hi) `uname` ünïcødé ✓ 日本\n"
                + "x".repeat(10_000) + "\nlast line";
        terminals.sendInput(t.id(), text, false, false);
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached(), () -> screen(t.id()));
        String answer = terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text();
        assertEquals("DEMO-ECHO: " + text, answer.replace("\r", ""));
    }

    @Test
    void theLastAnswerOfANewTaskIsNeverThePreviousOne() {
        TerminalView t = startDemo("agent");
        terminals.sendInput(t.id(), "first task", false, false);
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached());
        terminals.sendInput(t.id(), "slow", false, false);
        // right after the submit the old answer is still on screen: it must not read as completed
        assertEquals(AgentStatus.PROCESSING, terminals.explain(t.id()).verdict().status());
        assertFalse(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED, AgentStatus.IDLE),
                Duration.ofSeconds(2)).reached());
    }

    @Test
    void aLongAnswerIsExtractedWhole() {
        TerminalView t = startDemo("agent");
        terminals.sendInput(t.id(), "long", false, false);
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached(), () -> screen(t.id()));
        List<String> lines = terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text().lines().toList();
        assertEquals(150, lines.size(), () -> String.join("\n", lines));
        assertEquals("LINE-001", lines.getFirst().strip());
        assertEquals("LINE-150", lines.getLast().strip());
    }

    @Test
    void aPermissionDialogWaitsForAnAnswerAndInputIsRefusedMeanwhile() {
        TerminalView t = startDemo("agent");
        terminals.sendInput(t.id(), "ask about it", false, false);
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.WAITING_USER_ANSWER), WAIT).reached(),
                () -> screen(t.id()));
        TerminalException refused = assertThrows(TerminalException.class,
                () -> terminals.sendInput(t.id(), "more", false, false));
        assertEquals(TerminalException.Kind.PRECONDITION, refused.kind());
        terminals.sendKeys(t.id(), List.of("Enter"));
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached(), () -> screen(t.id()));
    }

    @Test
    void aCrashedCliIsAnErrorAndClosingLeavesNoProcessAndKeepsTheTranscript() throws Exception {
        TerminalView t = startDemo("agent");
        long pid = tmux.info(new dev.caod.tmux.PaneRef(terminals.session(t.sessionId(), false).tmuxSession(),
                t.tmuxWindow(), paneOf(t))).pid();
        terminals.sendInput(t.id(), "crash", false, false);
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.ERROR), WAIT).reached(), () -> screen(t.id()));
        TerminalException refused = assertThrows(TerminalException.class,
                () -> terminals.sendInput(t.id(), "anyone there?", false, false));
        assertEquals(TerminalException.Kind.PRECONDITION, refused.kind());

        TerminalView closed = terminals.close(t.id());
        assertEquals(Lifecycle.EXITED, closed.lifecycle());
        await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        String transcript = terminals.output(t.id(), TerminalService.OutputMode.TRANSCRIPT, 0).text();
        assertTrue(transcript.contains("crash"), transcript);
        assertTrue(Files.list(CaodTestHome.paths().stateDir().resolve("transcripts").resolve(t.sessionId()))
                .anyMatch(p -> p.getFileName().toString().equals(t.id() + ".txt")));
    }

    @Test
    void closingARunningAgentEndsItsWholeProcessTree() {
        TerminalView t = startDemo("agent");
        long pid = tmux.info(new dev.caod.tmux.PaneRef(terminals.session(t.sessionId(), false).tmuxSession(),
                t.tmuxWindow(), paneOf(t))).pid();
        List<ProcessHandle> tree = ProcessHandle.of(pid).map(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
                p.descendants()).toList()).orElseThrow();
        terminals.close(t.id());
        await().atMost(WAIT).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThrows(TerminalException.class, () -> terminals.sendInput(t.id(), "x", false, false));
    }

    @Test
    void severalTerminalsAndSessionsRunSideBySide() {
        TerminalView supervisor = startDemo("agent");
        TerminalView worker = terminals.createTerminal(supervisor.sessionId(), "agent", "", "", supervisor.id(), Map.of());
        assertEquals("demo", worker.provider(), "a worker inherits its caller's provider");
        assertEquals(supervisor.id(), worker.callerId());
        TerminalView other = startDemo("agent");
        assertTrue(terminals.awaitReady(worker.id(), WAIT).reached(), () -> screen(worker.id()));
        assertTrue(terminals.awaitStatus(worker.id(), Set.of(AgentStatus.IDLE), WAIT).reached());
        terminals.sendInput(worker.id(), "to the worker", false, false);
        terminals.sendInput(other.id(), "to the other session", false, false);
        assertTrue(terminals.awaitStatus(worker.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached());
        assertTrue(terminals.awaitStatus(other.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached());
        assertEquals("DEMO-ECHO: to the worker", terminals.output(worker.id(), TerminalService.OutputMode.LAST, 0).text());
        assertEquals("DEMO-ECHO: to the other session",
                terminals.output(other.id(), TerminalService.OutputMode.LAST, 0).text());
        assertEquals(AgentStatus.IDLE, terminals.terminal(supervisor.id()).status());
        assertEquals(2, terminals.session(supervisor.sessionId(), true).terminals().size());
    }

    @Test
    void providerPrecedenceIsRequestThenProfileThenCallerThenDefault() {
        // the default provider is claude_code; the profile `pinned` says demo
        var created = terminals.createSession("pinned", "", CaodTestHome.HOME.toString(), null, Map.of(), null);
        sessions.add(created.session().id());
        assertEquals("demo", created.supervisor().provider(), "profile beats the default");
        TerminalException flag = assertThrows(TerminalException.class, () -> terminals.createTerminal(
                created.session().id(), "pinned", "no_such_cli", "", "", Map.of()));
        assertTrue(flag.getMessage().contains("no_such_cli"), "the request's provider beats the profile: " + flag);
        assertEquals("demo", terminals.createTerminal(created.session().id(), "agent", "", "", "", Map.of())
                .provider(), "without a caller, the session's supervisor's provider beats the default");
    }

    @Test
    void unknownIdsAndBadArgumentsNameTheProblem() {
        TerminalException unknown = assertThrows(TerminalException.class, () -> terminals.terminal("nope1234"));
        assertEquals(TerminalException.Kind.NOT_FOUND, unknown.kind());
        assertTrue(unknown.getMessage().contains("nope1234"));
        TerminalException provider = assertThrows(TerminalException.class, () -> terminals.createSession("agent",
                "no_such_cli", CaodTestHome.HOME.toString(), null, Map.of(), null));
        assertTrue(provider.getMessage().contains("no_such_cli") && provider.getMessage().contains("demo"),
                provider.getMessage());
        TerminalException dir = assertThrows(TerminalException.class, () -> terminals.createSession("agent", "demo",
                "relative/path", null, Map.of(), null));
        assertTrue(dir.getMessage().startsWith("working_directory"), dir.getMessage());
        TerminalException system = assertThrows(TerminalException.class, () -> terminals.createSession("agent", "demo",
                "/etc", null, Map.of(), null));
        assertTrue(system.getMessage().contains("system folder"), system.getMessage());
        TerminalException profile = assertThrows(TerminalException.class, () -> terminals.createSession("no_such_profile",
                "demo", CaodTestHome.HOME.toString(), null, Map.of(), null));
        assertEquals(TerminalException.Kind.NOT_FOUND, profile.kind());
        assertTrue(profile.getMessage().contains("no_such_profile"), profile.getMessage());
        TerminalException env = assertThrows(TerminalException.class, () -> terminals.createSession("agent", "demo",
                CaodTestHome.HOME.toString(), null, Map.of("BAD-NAME", "x"), null));
        assertTrue(env.getMessage().contains("BAD-NAME"), env.getMessage());
    }

    private String paneOf(TerminalView t) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> dev.caod.store.TerminalEntity.byRef(t.id()).tmuxPane);
    }

    static Path home() {
        return CaodTestHome.HOME;
    }
}
