package dev.caod.orchestration;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.google.protobuf.util.Durations;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.HandoffFinished;
import dev.caod.api.v1.OrchestrationAction;
import dev.caod.api.v1.OrchestrationStep;
import dev.caod.event.EventBus;
import dev.caod.event.EventFilter;
import dev.caod.inbox.InboxMessageView;
import dev.caod.inbox.InboxService;
import dev.caod.orchestration.WorkerWatch.End;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import dev.caod.terminal.TerminalException;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalService.OutputMode;
import dev.caod.terminal.TerminalSettings;
import dev.caod.terminal.TerminalView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Handoff and assign (SPEC §4), for agents (through MCP) and for people and tools (through gRPC) alike. Every step is
 * an event, so a session's timeline shows who started whom, for what, and how it ended.
 */
@ApplicationScoped
public class Orchestrator {

    private static final Logger LOG = Logger.getLogger(Orchestrator.class);
    /** Where a handoff's wait for the answer ends: the worker finished, or stopped at something only a human solves. */
    private static final Set<AgentStatus> SETTLED = Set.of(AgentStatus.COMPLETED, AgentStatus.WAITING_USER_ANSWER,
            AgentStatus.ERROR);

    private final TerminalService terminals;
    private final InboxService inbox;
    private final EventBus events;
    private final TerminalSettings settings;
    /** Set when caod stops: waits end without closing workers, so the next start can resume them. */
    private volatile boolean stopping;

    public Orchestrator(TerminalService terminals, InboxService inbox, EventBus events, TerminalSettings settings) {
        this.terminals = terminals;
        this.inbox = inbox;
        this.events = events;
        this.settings = settings;
    }

    /**
     * Starts a worker, sends it the task once it is ready, waits for its answer and closes it. Fails (throws) only for
     * bad input; everything that happens to the worker is an outcome.
     *
     * @param cancelled polled while waiting: true once the caller went away (a closed connection, a cancelled RPC)
     */
    public HandoffResult handoff(WorkOrder order, BooleanSupplier cancelled) {
        long started = System.nanoTime();
        long deadline = started + order.timeout().toNanos();
        TerminalView worker = startWorker(order);
        step(OrchestrationAction.ORCHESTRATION_ACTION_HANDOFF_STARTED, order, worker, firstLine(order.task()));
        HandoffResult result = perform(worker, order, started, deadline, cancelled);
        if (stopping) {
            // the worker keeps running; the restarted daemon resumes this handoff from the event log
            return new HandoffResult(HandoffOutcome.CANCELLED, worker.id(), worker.profile(), "", elapsed(started),
                    "caod is stopping; the worker keeps running and its answer reaches you as a message once caod"
                            + " is back");
        }
        finished(order, worker, result);
        return result;
    }

    /**
     * What a handoff does once its worker is started, for any started terminal (a flow's agent too): waits until it
     * is ready, types the task, waits for the outcome, and closes the terminal unless a person must see it.
     */
    public HandoffResult perform(TerminalView worker, WorkOrder order, BooleanSupplier cancelled) {
        long started = System.nanoTime();
        return perform(worker, order, started, started + order.timeout().toNanos(), cancelled);
    }

    private HandoffResult perform(TerminalView worker, WorkOrder order, long started, long deadline,
            BooleanSupplier cancelled) {
        try (WorkerWatch watch = new WorkerWatch(terminals, events, worker.id(), order.callerId())) {
            return run(order, worker, watch, started, deadline, () -> stopping || cancelled.getAsBoolean());
        } catch (RuntimeException e) {
            LOG.warnf(e, "driving %s failed", worker.id());
            return end(worker, HandoffOutcome.WORKER_ERROR, started, "caod could not drive the worker: "
                    + e.getMessage(), !stopping);
        }
    }

    private void finished(WorkOrder order, TerminalView worker, HandoffResult result) {
        events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_HANDOFF).setSessionId(worker.sessionId())
                .setTerminalId(worker.id()).setHandoff(HandoffFinished.newBuilder()
                        .setCallerTerminalId(order.hasCaller() ? order.callerId() : "").setWorkerTerminalId(worker.id())
                        .setAgentProfile(order.profile()).setOutcome(dev.caod.api.v1.HandoffOutcome.valueOf(
                                "HANDOFF_OUTCOME_" + result.outcome().name()))
                        .setElapsed(Durations.fromNanos(result.elapsed().toNanos())).setDetail(result.detail())));
    }

    private HandoffResult run(WorkOrder order, TerminalView worker, WorkerWatch watch, long started, long deadline,
            BooleanSupplier cancelled) {
        long readyBy = Math.min(deadline, started + settings.startupTimeout().toNanos());
        WorkerWatch.Result ready = watch.until(t -> t.lifecycle() != Lifecycle.STARTING, readyBy, cancelled);
        if (ready.end() == End.CANCELLED) {
            return end(worker, HandoffOutcome.CANCELLED, started, "the caller went away while the worker was starting;"
                    + " the worker was closed", !stopping);
        }
        if (ready.end() == End.TIMED_OUT) {
            boolean ownTimeout = readyBy == deadline;
            return end(worker, ownTimeout ? HandoffOutcome.TIMED_OUT : HandoffOutcome.WORKER_ERROR, started,
                    "the worker did not become ready within " + seconds(ownTimeout ? order.timeout()
                            : settings.startupTimeout()) + (ownTimeout ? " (the handoff's timeout)"
                                    : " (caod.terminal.startup-timeout)") + "; it was closed", true);
        }
        if (ready.worker().lifecycle() == Lifecycle.EXITED) {
            return end(worker, HandoffOutcome.WORKER_ERROR, started, "the worker's CLI exited while starting ("
                    + ready.worker().exitReason() + "); its transcript is kept", true);
        }
        try {
            terminals.sendInput(worker.id(), order.task(), false, false);
        } catch (TerminalException e) {
            boolean dialog = e.getMessage().contains("dialog");
            return end(worker, dialog ? HandoffOutcome.WAITING_USER_ANSWER : HandoffOutcome.WORKER_ERROR, started,
                    "the task could not be typed into the worker: " + e.getMessage(), !dialog);
        }
        step(OrchestrationAction.ORCHESTRATION_ACTION_TASK_SENT, order, worker, firstLine(order.task()));
        WorkerWatch.Result done = watch.until(t -> t.lifecycle() == Lifecycle.EXITED || SETTLED.contains(t.status()),
                deadline, cancelled);
        return settle(order, worker, done, started);
    }

    /** What the end of a worker's task means for the handoff; closes the worker unless a person must see it. */
    private HandoffResult settle(WorkOrder order, TerminalView worker, WorkerWatch.Result done, long started) {
        TerminalView w = done.worker();
        if (done.end() == End.CANCELLED) {
            return end(worker, HandoffOutcome.CANCELLED, started, "the caller went away before the worker finished;"
                    + " the worker was closed", !stopping);
        }
        if (done.end() == End.TIMED_OUT) {
            return end(worker, HandoffOutcome.TIMED_OUT, started, "the worker did not finish within "
                    + seconds(order.timeout()) + " (it was " + w.status().name().toLowerCase() + "); it was closed",
                    true);
        }
        if (w.lifecycle() == Lifecycle.EXITED) {
            return end(worker, HandoffOutcome.WORKER_ERROR, started, "the worker's CLI exited during the task ("
                    + w.exitReason() + "); its transcript is kept", true);
        }
        return switch (w.status()) {
            case COMPLETED, IDLE -> {
                String answer = terminals.output(worker.id(), OutputMode.LAST, 0).text();
                closeLater(worker.id());
                yield new HandoffResult(HandoffOutcome.COMPLETED, worker.id(), worker.profile(), answer,
                        elapsed(started), "");
            }
            case WAITING_USER_ANSWER -> end(worker, HandoffOutcome.WAITING_USER_ANSWER, started, "the worker waits at"
                    + " a dialog only a person can answer; it is left open: answer it with `caod terminal keys "
                    + worker.id() + "` or `caod terminal attach " + worker.id() + "`", false);
            default -> w.statusRule().startsWith("pane-dead") || w.statusRule().startsWith("shell-foreground")
                    ? end(worker, HandoffOutcome.WORKER_ERROR, started, "the worker's CLI exited during the task ("
                            + w.statusRule() + "); its transcript is kept", true)
                    : end(worker, HandoffOutcome.WORKER_ERROR, started, "the worker reported an error ("
                            + w.statusRule() + ")", true);
        };
    }

    /**
     * Picks up the handoffs a previous run of caod left waiting (it stopped or crashed while their workers worked):
     * each worker still running is watched to its end, and the result goes to its caller's inbox, since the caller's
     * tool call ended with the old daemon. Nothing a worker answered is lost; every handoff gets its outcome event.
     */
    void resume(@Observes @Priority(40) StartupEvent start) {
        long oldest = Instant.now().minus(WorkOrder.MAX_TIMEOUT).getEpochSecond();
        Map<String, Event> open = new LinkedHashMap<>();
        Set<String> taskSent = new HashSet<>();
        for (Event e : events.replay(0, new EventFilter(Set.of(EventKind.EVENT_KIND_ORCHESTRATION,
                EventKind.EVENT_KIND_HANDOFF), "", ""), Integer.MAX_VALUE)) {
            if (e.hasHandoff()) {
                open.remove(e.getHandoff().getWorkerTerminalId());
            } else if (e.getOrchestration().getAction() == OrchestrationAction.ORCHESTRATION_ACTION_HANDOFF_STARTED
                    && e.getAt().getSeconds() >= oldest) {
                open.put(e.getOrchestration().getWorkerTerminalId(), e);
            } else if (e.getOrchestration().getAction() == OrchestrationAction.ORCHESTRATION_ACTION_TASK_SENT) {
                taskSent.add(e.getOrchestration().getWorkerTerminalId());
            }
        }
        if (!open.isEmpty()) {
            LOG.infof("resuming %d handoff(s) interrupted by a restart", open.size());
        }
        open.values().forEach(e -> Thread.ofVirtual().name("resume-" + e.getTerminalId())
                .start(() -> {
                    try {
                        resumeOne(e, taskSent.contains(e.getTerminalId()));
                    } catch (RuntimeException failure) {
                        LOG.warnf(failure, "could not resume the handoff to %s", e.getTerminalId());
                    }
                }));
    }

    private void resumeOne(Event startedEvent, boolean taskWasSent) {
        OrchestrationStep s = startedEvent.getOrchestration();
        Instant startedAt = Instant.ofEpochSecond(startedEvent.getAt().getSeconds(), startedEvent.getAt().getNanos());
        WorkOrder order = new WorkOrder(s.getActorTerminalId(), startedEvent.getSessionId(), s.getAgentProfile(),
                s.getDetail().isBlank() ? "(task)" : s.getDetail(), null, null, Map.of(),
                s.getTimeoutSeconds() > 0 ? Duration.ofSeconds(s.getTimeoutSeconds()) : null);
        TerminalView worker = terminals.terminal(s.getWorkerTerminalId());
        HandoffResult result = reattach(worker, order, startedAt, taskWasSent);
        if (stopping) {
            return;
        }
        String detail = result.detail();
        if (order.hasCaller() && terminals.terminal(order.callerId()).lifecycle() != Lifecycle.EXITED) {
            InboxMessageView sent = inbox.send(worker.id(), order.callerId(), "Result of the handoff you started"
                    + " (caod restarted while you waited, so it comes as a message):\n" + result.describe());
            detail = (detail.isEmpty() ? "" : detail + "; ") + "resumed after a restart, result sent to "
                    + order.callerId() + " as message " + sent.id();
        }
        finished(order, worker, new HandoffResult(result.outcome(), result.workerId(), result.profile(),
                result.answer(), result.elapsed(), detail));
    }

    /**
     * Picks up a task a previous run of caod typed into a started terminal (a flow's agent) and waits for its outcome,
     * as {@link #perform} would have. A task that was never typed in ends CANCELLED and the terminal is closed.
     */
    public HandoffResult resume(TerminalView worker, WorkOrder order, Instant startedAt) {
        boolean taskWasSent = events.replay(0, new EventFilter(Set.of(EventKind.EVENT_KIND_ORCHESTRATION), "",
                worker.id()), Integer.MAX_VALUE).stream().anyMatch(e -> e.getOrchestration().getAction()
                        == OrchestrationAction.ORCHESTRATION_ACTION_TASK_SENT);
        return reattach(worker, order, startedAt, taskWasSent);
    }

    private HandoffResult reattach(TerminalView worker, WorkOrder order, Instant startedAt, boolean taskWasSent) {
        long started = System.nanoTime() - Duration.between(startedAt, Instant.now()).toNanos();
        if (worker.lifecycle() == Lifecycle.EXITED) {
            return end(worker, HandoffOutcome.WORKER_ERROR, started, "the worker exited while caod was down ("
                    + worker.exitReason() + ")", false);
        }
        if (!taskWasSent) {
            return end(worker, HandoffOutcome.CANCELLED, started, "caod stopped before the task was typed in; the"
                    + " worker was closed: hand the task off again", true);
        }
        try (WorkerWatch watch = new WorkerWatch(terminals, events, worker.id(), order.callerId())) {
            return settle(order, worker, watch.until(t -> t.lifecycle() == Lifecycle.EXITED
                    || SETTLED.contains(t.status()) || t.status() == AgentStatus.IDLE,
                    started + order.timeout().toNanos(), () -> stopping), started);
        }
    }

    /** True once caod is stopping: waits end early and leave their terminals running for the next start. */
    public boolean stopping() {
        return stopping;
    }

    void stopping(@Observes @Priority(0) ShutdownEvent stop) {
        stopping = true;
    }

    /**
     * Starts a worker and returns at once (it may still be starting); its task waits in its inbox and is typed in when
     * it is ready, with a note to report back. A worker that never becomes ready is closed and its caller told.
     */
    public Assignment assign(WorkOrder order) {
        TerminalView worker = startWorker(order);
        String task = order.hasCaller() ? order.task() + "\n\n(When you have finished, report your result with the"
                + " send_message tool; without receiver_id it goes to terminal " + order.callerId()
                + ", which assigned you this task.)" : order.task();
        InboxMessageView queued = inbox.send(order.callerId(), worker.id(), task);
        step(OrchestrationAction.ORCHESTRATION_ACTION_ASSIGNED, order, worker, firstLine(order.task()));
        Thread.ofVirtual().name("assign-" + worker.id()).start(() -> watchStart(order, worker));
        return new Assignment(worker.id(), queued);
    }

    private void watchStart(WorkOrder order, TerminalView worker) {
        long readyBy = System.nanoTime() + settings.startupTimeout().toNanos();
        String why;
        try (WorkerWatch watch = new WorkerWatch(terminals, events, worker.id(), null)) {
            WorkerWatch.Result ready = watch.until(t -> t.lifecycle() != Lifecycle.STARTING, readyBy, () -> stopping);
            if (ready.worker().lifecycle() == Lifecycle.RUNNING || stopping) {
                return; // ready; or caod stops, and the task waits in the inbox, which survives the restart
            }
            why = ready.worker().lifecycle() == Lifecycle.EXITED ? "its CLI exited while starting ("
                    + ready.worker().exitReason() + ")" : "it did not become ready within "
                            + seconds(settings.startupTimeout()) + " and was closed";
            if (ready.worker().lifecycle() == Lifecycle.STARTING) {
                close(worker.id());
            }
        } catch (RuntimeException e) {
            why = "caod could not watch it start: " + e.getMessage();
        }
        step(OrchestrationAction.ORCHESTRATION_ACTION_WORKER_NOT_STARTED, order, worker, why);
        if (order.hasCaller() && terminals.terminal(order.callerId()).lifecycle() != Lifecycle.EXITED) {
            inbox.send(null, order.callerId(), "caod: the worker you assigned, terminal " + worker.id() + " ("
                    + order.profile() + "), did not start: " + why + ". Its task was not delivered; assign it again"
                    + " or do it yourself.");
        }
    }

    private TerminalView startWorker(WorkOrder order) {
        String session = order.sessionId();
        if (order.hasCaller()) {
            TerminalView caller = terminals.terminal(order.callerId());
            if (caller.lifecycle() == Lifecycle.EXITED) {
                throw new TerminalException(TerminalException.Kind.PRECONDITION, "caller_terminal_id: terminal "
                        + caller.id() + " has exited; a worker needs a live caller to answer to");
            }
            session = caller.sessionId();
        }
        return terminals.createTerminal(session, order.profile(), order.provider(), order.workingDirectory(),
                order.callerId(), order.env());
    }

    private HandoffResult end(TerminalView worker, HandoffOutcome outcome, long started, String detail,
            boolean closeWorker) {
        String screen = "";
        try {
            screen = terminals.output(worker.id(), OutputMode.SCREEN, 40).text();
        } catch (RuntimeException e) {
            screen = "(the worker's screen could not be read: " + e.getMessage() + ")";
        }
        if (closeWorker) {
            closeLater(worker.id());
        }
        return new HandoffResult(outcome, worker.id(), worker.profile(), screen, elapsed(started), detail);
    }

    /**
     * Closes a finished worker after the handoff has answered: its answer and screen are taken already, and a CLI
     * may need a few seconds to quit, which the caller should not wait for.
     */
    private void closeLater(String worker) {
        Thread.ofVirtual().name("close-" + worker).start(() -> close(worker));
    }

    private void close(String worker) {
        try {
            terminals.close(worker);
        } catch (RuntimeException e) {
            LOG.warnf("could not close worker %s: %s", worker, e.getMessage());
        }
    }

    private void step(OrchestrationAction action, WorkOrder order, TerminalView worker, String detail) {
        events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_ORCHESTRATION).setSessionId(worker.sessionId())
                .setTerminalId(worker.id()).setOrchestration(OrchestrationStep.newBuilder().setAction(action)
                        .setActorTerminalId(order.hasCaller() ? order.callerId() : "").setWorkerTerminalId(worker.id())
                        .setAgentProfile(order.profile()).setDetail(detail)
                        .setTimeoutSeconds((int) order.timeout().toSeconds())));
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
