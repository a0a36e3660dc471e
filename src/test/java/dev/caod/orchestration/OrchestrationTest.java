package dev.caod.orchestration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.OrchestrationAction;
import dev.caod.event.EventBus;
import dev.caod.inbox.InboxMessageView;
import dev.caod.inbox.InboxService;
import dev.caod.inbox.MessageState;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import dev.caod.terminal.TerminalException;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalService.OutputMode;
import dev.caod.terminal.TerminalView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Handoff and assign end to end: demo agents in real tmux, calling caod's MCP tools over real HTTP, or the
 * orchestrator called as gRPC and the CLI call it. Every failure mode ends in its own outcome.
 */
@QuarkusTest
class OrchestrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Inject
    Orchestrator orchestrator;
    @Inject
    TerminalService terminals;
    @Inject
    InboxService inbox;
    @Inject
    EventBus events;

    private final List<String> sessions = new ArrayList<>();
    private final List<Event> seen = new CopyOnWriteArrayList<>();
    private AutoCloseable watching;

    @BeforeEach
    void watch() {
        watching = events.subscribe(seen::add);
    }

    @AfterEach
    void cleanUp() throws Exception {
        watching.close();
        sessions.forEach(s -> terminals.deleteSession(s));
    }

    private TerminalView boss() {
        var created = terminals.createSession("boss", "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        sessions.add(created.session().id());
        TerminalView boss = created.supervisor();
        assertTrue(terminals.awaitReady(boss.id(), WAIT).reached());
        assertTrue(terminals.awaitStatus(boss.id(), Set.of(AgentStatus.IDLE), WAIT).reached());
        return boss;
    }

    private WorkOrder order(TerminalView caller, String profile, String task, int timeoutSeconds) {
        return new WorkOrder(caller.id(), null, profile, task, "demo", null, Map.of(),
                Duration.ofSeconds(timeoutSeconds));
    }

    /** Workers are closed right after the handoff answered, in the background. */
    private void awaitClosed(String worker) {
        await().atMost(WAIT).until(() -> terminals.terminal(worker).lifecycle() == Lifecycle.EXITED);
    }

    private String answerOf(TerminalView t) {
        assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached());
        return terminals.output(t.id(), OutputMode.LAST, 0).text();
    }

    @Test
    void anAgentHandsOffThroughMcpAndGetsTheWorkersWholeAnswer() {
        TerminalView boss = boss();
        terminals.sendInput(boss.id(), "handoff agent 60 long", false, false);
        String answer = answerOf(boss);
        assertTrue(answer.startsWith("HANDOFF-RESULT\noutcome: completed\nworker: terminal "), answer);
        assertTrue(answer.contains("LINE-001") && answer.contains("LINE-150"), "the whole long answer:\n" + answer);

        String worker = answer.lines().filter(l -> l.startsWith("worker: terminal ")).findFirst().orElseThrow()
                .split(" ")[2];
        awaitClosed(worker);
        TerminalView closed = terminals.terminal(worker);
        assertEquals(boss.id(), closed.callerId());
        assertTrue(terminals.output(worker, OutputMode.TRANSCRIPT, 0).text().contains("LINE-150"), "transcript kept");
        List<OrchestrationAction> steps = seen.stream().filter(e -> e.hasOrchestration()
                && e.getOrchestration().getWorkerTerminalId().equals(worker))
                .map(e -> e.getOrchestration().getAction()).toList();
        assertEquals(List.of(OrchestrationAction.ORCHESTRATION_ACTION_HANDOFF_STARTED,
                OrchestrationAction.ORCHESTRATION_ACTION_TASK_SENT), steps);
        assertTrue(seen.stream().anyMatch(e -> e.hasHandoff() && e.getHandoff().getWorkerTerminalId().equals(worker)
                && e.getHandoff().getCallerTerminalId().equals(boss.id())
                && e.getHandoff().getOutcome() == dev.caod.api.v1.HandoffOutcome.HANDOFF_OUTCOME_COMPLETED));
    }

    @Test
    void theReadmeDemoCompletes() {
        var created = terminals.createSession("code_supervisor", "demo", CaodTestHome.HOME.toString(), null,
                Map.of(), null);
        sessions.add(created.session().id());
        TerminalView sup = created.supervisor();
        assertTrue(terminals.awaitStatus(sup.id(), Set.of(AgentStatus.IDLE), WAIT).reached());
        terminals.sendInput(sup.id(), "add a hello command", false, false);
        await().atMost(Duration.ofMinutes(3)).until(() -> terminals.output(sup.id(), OutputMode.LAST, 0).text()
                .startsWith("Combined result"));
        String combined = terminals.output(sup.id(), OutputMode.LAST, 0).text();
        assertTrue(combined.contains("outcome: completed") && combined.contains("Result: done")
                && combined.contains("Task was: Implement: add a hello command"), "the developer's answer:\n" + combined);
        assertTrue(combined.contains("Verdict: approve with one minor finding")
                && combined.contains("Reviewed: Review the change for: add a hello command"),
                "the reviewer's report:\n" + combined);
        List<TerminalView> team = terminals.terminals(sup.sessionId(), Set.of(), true);
        assertEquals(List.of("code_supervisor", "developer", "reviewer"), team.stream().map(TerminalView::profile)
                .toList());
        assertTrue(team.stream().allMatch(t -> t.provider().equals("demo")), "workers take the caller's provider");
    }

    @Test
    void aWorkerThatCrashesIsAWorkerErrorNotATimeout() {
        TerminalView boss = boss();
        HandoffResult r = orchestrator.handoff(order(boss, "agent", "crash", 60), () -> false);
        assertEquals(HandoffOutcome.WORKER_ERROR, r.outcome(), r.toString());
        assertTrue(r.detail().contains("exited"), r.detail());
        awaitClosed(r.workerId());
    }

    @Test
    void aWorkerThatReportsAnErrorIsAWorkerError() {
        TerminalView boss = boss();
        HandoffResult r = orchestrator.handoff(order(boss, "agent", "oops", 60), () -> false);
        assertEquals(HandoffOutcome.WORKER_ERROR, r.outcome(), r.toString());
        assertTrue(r.answer().contains("scripted failure"), r.toString());
    }

    @Test
    void aHandoffThatRunsOutOfTimeSaysSoAndClosesTheWorker() {
        TerminalView boss = boss();
        HandoffResult r = orchestrator.handoff(order(boss, "agent", "slow", 8), () -> false);
        assertEquals(HandoffOutcome.TIMED_OUT, r.outcome(), r.toString());
        assertTrue(r.detail().contains("did not finish within 8 s"), r.detail());
        awaitClosed(r.workerId());
    }

    @Test
    void aWorkerThatNeverStartsEndsTheHandoffAtItsTimeout() {
        TerminalView boss = boss();
        HandoffResult r = orchestrator.handoff(order(boss, "sleeper", "anything", 5), () -> false);
        assertEquals(HandoffOutcome.TIMED_OUT, r.outcome(), r.toString());
        assertTrue(r.detail().contains("did not become ready"), r.detail());
        awaitClosed(r.workerId());
    }

    @Test
    void aWorkerAtADialogIsLeftOpenForAPerson() {
        TerminalView boss = boss();
        HandoffResult r = orchestrator.handoff(order(boss, "agent", "ask permission please", 60), () -> false);
        assertEquals(HandoffOutcome.WAITING_USER_ANSWER, r.outcome(), r.toString());
        TerminalView worker = terminals.terminal(r.workerId());
        assertEquals(Lifecycle.RUNNING, worker.lifecycle());
        assertEquals(AgentStatus.WAITING_USER_ANSWER, worker.status());
    }

    @Test
    void aCallerThatGoesAwayCancelsTheHandoffAndItsWorker() throws Exception {
        TerminalView boss = boss();
        AtomicBoolean gone = new AtomicBoolean();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<HandoffResult> running = pool.submit(() -> orchestrator.handoff(order(boss, "agent", "slow", 120),
                    gone::get));
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(e -> e.hasOrchestration() && e.getOrchestration()
                    .getAction() == OrchestrationAction.ORCHESTRATION_ACTION_TASK_SENT));
            gone.set(true);
            HandoffResult r = running.get();
            assertEquals(HandoffOutcome.CANCELLED, r.outcome(), r.toString());
            awaitClosed(r.workerId());
        }
    }

    @Test
    void anAssignedWorkerReportsBackToItsCaller() {
        TerminalView boss = boss();
        terminals.sendInput(boss.id(), "assign reporter check the build", false, false);
        String assigned = answerOf(boss);
        assertTrue(assigned.startsWith("ASSIGNED: assigned to terminal "), assigned);
        String worker = assigned.substring("ASSIGNED: assigned to terminal ".length()).split(" ")[0];
        await().atMost(WAIT).until(() -> terminals.output(boss.id(), OutputMode.FULL, 0).text()
                .contains("BOSS-GOT: [message from terminal " + worker + "] REPORT on check the build"));
        assertTrue(seen.stream().anyMatch(e -> e.hasOrchestration() && e.getOrchestration().getAction()
                == OrchestrationAction.ORCHESTRATION_ACTION_ASSIGNED && e.getOrchestration().getWorkerTerminalId()
                        .equals(worker) && e.getOrchestration().getActorTerminalId().equals(boss.id())));
    }

    @Test
    void assignReturnsBeforeTheWorkerIsReadyAndAWorkerThatNeverStartsIsReported() {
        TerminalView boss = boss();
        Assignment a = orchestrator.assign(order(boss, "sleeper", "wake up", 0));
        assertEquals(Lifecycle.STARTING, terminals.terminal(a.workerId()).lifecycle(), "returned while starting");
        assertEquals(MessageState.PENDING, a.task().state());
        assertTrue(a.task().body().contains("send_message"), "the task carries the report-back note");
        await().atMost(WAIT).until(() -> inbox.message(a.task().id()).state() == MessageState.FAILED);
        await().atMost(WAIT).until(() -> terminals.output(boss.id(), OutputMode.FULL, 0).text()
                .contains("caod: the worker you assigned, terminal " + a.workerId()));
        assertEquals(Lifecycle.EXITED, terminals.terminal(a.workerId()).lifecycle());
    }

    @Test
    void tenConcurrentAssignsAllReportBackOnce() throws Exception {
        TerminalView boss = boss();
        List<Assignment> assigned = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Assignment>> calls = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                String task = "task-" + i;
                calls.add(pool.submit(() -> orchestrator.assign(order(boss, "reporter", task, 0))));
            }
            for (Future<Assignment> f : calls) {
                assigned.add(f.get());
            }
        }
        assertEquals(10, assigned.stream().map(Assignment::workerId).distinct().count());
        Duration slow = Duration.ofMinutes(4); // ten JVMs starting on two cores
        await().atMost(slow).until(() -> inbox.inbox(boss.id(), Set.of(MessageState.DELIVERED), 100).size() >= 10);
        List<InboxMessageView> reports = inbox.inbox(boss.id(), Set.of(), 100);
        for (Assignment a : assigned) {
            assertEquals(1, reports.stream().filter(m -> m.senderId().equals(a.workerId())).count(),
                    "one report from " + a.workerId());
        }
        for (int i = 1; i <= 10; i++) {
            String task = "REPORT on task-" + i;
            assertEquals(1, reports.stream().filter(m -> m.body().equals(task)).count(), task);
        }
    }

    @Test
    void badOrdersAreRefusedWithTheFieldNamed() {
        TerminalView boss = boss();
        assertEquals("agent_profile", assertThrows(TerminalException.class, () -> orchestrator.assign(
                order(boss, " ", "x", 0))).getMessage().split(":")[0]);
        assertEquals("message", assertThrows(TerminalException.class, () -> orchestrator.assign(
                order(boss, "agent", "", 0))).getMessage().split(":")[0]);
        assertEquals(TerminalException.Kind.NOT_FOUND, assertThrows(TerminalException.class, () -> orchestrator
                .assign(order(boss, "no_such_profile", "x", 0))).kind());
        assertEquals(TerminalException.Kind.NOT_FOUND, assertThrows(TerminalException.class, () -> orchestrator
                .handoff(new WorkOrder("zzzzzzzz", null, "agent", "x", null, null, Map.of(), null), () -> false))
                .kind());
        assertTrue(assertThrows(TerminalException.class, () -> new WorkOrder(null, null, "agent", "x", null, null,
                Map.of(), null)).getMessage().startsWith("session_id"));
        assertTrue(assertThrows(TerminalException.class, () -> new WorkOrder(boss.id(), null, "agent", "x", null,
                null, Map.of(), Duration.ofDays(2))).getMessage().startsWith("timeout_seconds"));
        assertFalse(terminals.terminals(boss.sessionId(), Set.of(), true).size() > 1, "nothing was started");
    }
}
