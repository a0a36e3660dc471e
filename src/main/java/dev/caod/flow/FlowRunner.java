package dev.caod.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.FlowRunChanged;
import dev.caod.event.EventBus;
import dev.caod.orchestration.HandoffOutcome;
import dev.caod.orchestration.HandoffResult;
import dev.caod.orchestration.Orchestrator;
import dev.caod.orchestration.WorkOrder;
import dev.caod.store.FlowEntity;
import dev.caod.store.FlowRunEntity;
import dev.caod.store.SessionEntity;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * One run of a flow: its script decides whether to go and fills the prompt, a new session runs the agent, and the
 * run is recorded from start to outcome. A run never throws: whatever goes wrong ends in a recorded outcome.
 */
@ApplicationScoped
public class FlowRunner {

    private static final Logger LOG = Logger.getLogger(FlowRunner.class);

    private final FlowCatalog catalog;
    private final FlowScript scripts;
    private final TerminalService terminals;
    private final Orchestrator orchestrator;
    private final EventBus events;
    private final FlowSettings settings;

    public FlowRunner(FlowCatalog catalog, FlowScript scripts, TerminalService terminals, Orchestrator orchestrator,
            EventBus events, FlowSettings settings) {
        this.catalog = catalog;
        this.scripts = scripts;
        this.terminals = terminals;
        this.orchestrator = orchestrator;
        this.events = events;
        this.settings = settings;
    }

    /**
     * Runs a stop or crash of caod cut short: one that never reached its agent ends FAILED with the reason; one whose
     * agent kept working is flagged resumed and picked up once the flow files are read (see {@link #resume}).
     */
    void interrupted(@Observes @Priority(45) StartupEvent start) {
        QuarkusTransaction.requiringNew().run(() -> FlowRunEntity.<FlowRunEntity>list("outcome", RunOutcome.RUNNING)
                .forEach(r -> {
                    if (r.session == null) {
                        r.outcome = RunOutcome.FAILED;
                        r.error = "interrupted: caod stopped before the run's agent started (while its script ran"
                                + " or its session was being made); the next scheduled time runs the flow again";
                        r.endedAt = Instant.now();
                    } else {
                        r.resumed = true;
                    }
                }));
    }

    /**
     * Watches each resumed run's agent to its end and records the outcome, as the run would have. Runs after the
     * flow catalog has read the files (priority 50), for the flow's timeout.
     */
    void resume(@Observes @Priority(55) StartupEvent start) {
        List<FlowRunView> open = QuarkusTransaction.requiringNew().call(() -> FlowRunEntity
                .<FlowRunEntity>list("outcome = ?1 and resumed = true", RunOutcome.RUNNING).stream()
                .map(FlowRunView::of).toList());
        if (!open.isEmpty()) {
            LOG.infof("resuming %d flow run(s) interrupted by a restart", open.size());
        }
        open.forEach(run -> Thread.ofVirtual().name("flow-resume-" + run.id()).start(() -> resumeOne(run)));
    }

    private void resumeOne(FlowRunView run) {
        try {
            String session = run.sessionId();
            TerminalView agent = terminals.terminal(terminals.session(session, false).supervisorId());
            Duration timeout = catalog.byName(run.flowName()).filter(FlowCatalog.Entry::valid)
                    .map(e -> e.flow().timeout()).orElse(null);
            HandoffResult result = orchestrator.resume(agent, new WorkOrder(null, session, agent.profile(),
                    "(flow " + run.flowName() + ")", null, null, Map.of(), timeout), run.startedAt());
            if (!orchestrator.stopping() || result.outcome() != HandoffOutcome.CANCELLED) {
                settle(run, session, agent.id(), result, "resumed after a restart of caod: ");
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "flow %s: could not resume run %d", run.flowName(), run.id());
            finish(run, RunOutcome.FAILED, run.sessionId(), "interrupted: caod could not pick the run up after a"
                    + " restart: " + e.getMessage(), null);
        }
    }

    /** Starts a run on its own thread and returns its record at once (RUNNING, or SKIPPED_OVERLAP). */
    public FlowRunView start(String name, Instant scheduledAt, boolean manual) {
        FlowRunView run = begin(name, scheduledAt, manual);
        if (run.outcome() == RunOutcome.RUNNING) {
            Thread.ofVirtual().name("flow-" + name).start(() -> execute(run));
        }
        return run;
    }

    /** Runs to the end on the calling thread. */
    public FlowRunView runNow(String name, Instant scheduledAt, boolean manual) {
        FlowRunView run = begin(name, scheduledAt, manual);
        return run.outcome() == RunOutcome.RUNNING ? execute(run) : run;
    }

    private FlowRunView begin(String name, Instant scheduledAt, boolean manual) {
        FlowRunView run = QuarkusTransaction.requiringNew().call(() -> {
            FlowEntity flow = FlowEntity.byName(name);
            boolean busy = FlowRunEntity.count("flowName = ?1 and outcome = ?2", name, RunOutcome.RUNNING) > 0;
            FlowRunEntity r = new FlowRunEntity();
            r.flow = flow;
            r.flowName = name;
            r.scheduledAt = scheduledAt;
            r.startedAt = Instant.now();
            r.manual = manual;
            if (busy) {
                r.outcome = RunOutcome.SKIPPED_OVERLAP;
                r.error = "the previous run of this flow is still going";
                r.endedAt = r.startedAt;
            }
            if (flow != null && scheduledAt != null) {
                flow.lastFireAt = scheduledAt;
            }
            r.persist();
            return FlowRunView.of(r);
        });
        publish(run);
        return run;
    }

    private FlowRunView execute(FlowRunView run) {
        try {
            FlowDefinition flow = catalog.byName(run.flowName()).filter(FlowCatalog.Entry::valid)
                    .map(FlowCatalog.Entry::flow).orElse(null);
            if (flow == null) {
                return finish(run, RunOutcome.FAILED, null, "the flow's file is gone or no longer valid", null);
            }
            FlowScript.Decision decision = scripts.decide(flow);
            if (decision.error() != null) {
                return finish(run, RunOutcome.FAILED, null, decision.error(), null);
            }
            if (!decision.execute()) {
                return finish(run, RunOutcome.SKIPPED_BY_SCRIPT, null, null, null);
            }
            FlowDefinition.Rendered prompt = flow.render(decision.output());
            if (!prompt.complete()) {
                return finish(run, RunOutcome.FAILED, null, "the prompt's placeholders " + prompt.missing().stream()
                        .map(v -> "[[" + v + "]]").toList() + " have no value (give them one in the script's"
                        + " output)", null);
            }
            var created = terminals.createSession(flow.agentProfile(), flow.provider(), flow.workingDirectory(),
                    null, Map.of(), null);
            String session = created.session().id();
            QuarkusTransaction.requiringNew().run(() -> FlowRunEntity.<FlowRunEntity>findById(run.id()).session =
                    SessionEntity.byRef(session));
            HandoffResult result = orchestrator.perform(created.supervisor(), new WorkOrder(null, session,
                    flow.agentProfile(), prompt.text(), flow.provider(), null, Map.of(), flow.timeout()), () -> false);
            if (orchestrator.stopping() && result.outcome() == HandoffOutcome.CANCELLED) {
                return run; // stays RUNNING: the agent keeps working and the next start of caod picks it up
            }
            return settle(run, session, created.supervisor().id(), result, "");
        } catch (RuntimeException e) {
            LOG.warnf(e, "flow %s: run %d failed", run.flowName(), run.id());
            return finish(run, RunOutcome.FAILED, null, e.getMessage(), null);
        }
    }

    /** Records how the run's agent ended and lets its session go once the agent has. */
    private FlowRunView settle(FlowRunView run, String session, String agent, HandoffResult result, String note) {
        Thread.ofVirtual().start(() -> closeLater(session, agent));
        return switch (result.outcome()) {
            case COMPLETED -> finish(run, RunOutcome.SUCCEEDED, session, null, result.answer());
            case TIMED_OUT -> finish(run, RunOutcome.TIMED_OUT, session, note + result.detail(), result.answer());
            default -> finish(run, RunOutcome.FAILED, session, note + "the agent's run ended "
                    + result.outcome().label() + ": " + result.detail(), result.answer());
        };
    }

    /**
     * The session's agent is being closed by the run (or left open at a dialog); once it has gone, the session goes
     * too, its transcripts stay. Waiting first keeps two closings of one agent from racing each other.
     */
    private void closeLater(String session, String agent) {
        try {
            if (!terminals.awaitExit(agent, Duration.ofSeconds(30))) {
                return; // left open for a person (a dialog): the session stays with it
            }
            terminals.deleteSession(session);
        } catch (RuntimeException e) {
            LOG.debugf("flow session %s: %s", session, e.getMessage());
        }
    }

    private FlowRunView finish(FlowRunView run, RunOutcome outcome, String session, String error, String answer) {
        FlowRunView done = QuarkusTransaction.requiringNew().call(() -> {
            FlowRunEntity r = FlowRunEntity.findById(run.id());
            r.outcome = outcome;
            r.error = error;
            r.endedAt = Instant.now();
            if (answer != null && !answer.isBlank()) {
                r.answerExcerpt = answer.length() > settings.answerExcerpt()
                        ? answer.substring(0, settings.answerExcerpt()) : answer;
            }
            return FlowRunView.of(r);
        });
        publish(done);
        if (outcome == RunOutcome.FAILED) {
            LOG.warnf("flow %s: run %d failed: %s", run.flowName(), run.id(), error);
        }
        return done;
    }

    private void publish(FlowRunView run) {
        events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_FLOW_RUN).setSessionId(run.sessionId())
                .setFlowRun(FlowRunChanged.newBuilder().setRun(run.proto())));
    }
}
