package dev.caod.flow;

import java.time.Instant;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.FlowRunChanged;
import dev.caod.event.EventBus;
import dev.caod.orchestration.HandoffResult;
import dev.caod.orchestration.Orchestrator;
import dev.caod.orchestration.WorkOrder;
import dev.caod.store.FlowEntity;
import dev.caod.store.FlowRunEntity;
import dev.caod.store.SessionEntity;
import dev.caod.terminal.TerminalService;
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

    /** Runs cut short by a stop or crash of caod end as failed: nothing stays "running" forever. */
    void start(@Observes @Priority(45) StartupEvent start) {
        QuarkusTransaction.requiringNew().run(() -> FlowRunEntity.<FlowRunEntity>list("outcome", RunOutcome.RUNNING)
                .forEach(r -> {
                    r.outcome = RunOutcome.FAILED;
                    r.error = "caod stopped during the run";
                    r.endedAt = Instant.now();
                }));
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
            String agent = created.supervisor().id();
            Thread.ofVirtual().start(() -> closeLater(session, agent));
            return switch (result.outcome()) {
                case COMPLETED -> finish(run, RunOutcome.SUCCEEDED, session, null, result.answer());
                case TIMED_OUT -> finish(run, RunOutcome.TIMED_OUT, session, result.detail(), result.answer());
                default -> finish(run, RunOutcome.FAILED, session, "the agent's run ended "
                        + result.outcome().label() + ": " + result.detail(), result.answer());
            };
        } catch (RuntimeException e) {
            LOG.warnf(e, "flow %s: run %d failed", run.flowName(), run.id());
            return finish(run, RunOutcome.FAILED, null, e.getMessage(), null);
        }
    }

    /**
     * The session's agent is being closed by the run (or left open at a dialog); once it has gone, the session goes
     * too, its transcripts stay. Waiting first keeps two closings of one agent from racing each other.
     */
    private void closeLater(String session, String agent) {
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (terminals.terminal(agent).lifecycle() != dev.caod.terminal.Lifecycle.EXITED
                    && System.nanoTime() < deadline) {
                Thread.sleep(200); // the close runs on another thread and publishes no event we could wait on here
            }
            if (terminals.terminal(agent).lifecycle() != dev.caod.terminal.Lifecycle.EXITED) {
                return; // left open for a person (a dialog): the session stays with it
            }
            terminals.deleteSession(session);
        } catch (RuntimeException e) {
            LOG.debugf("flow session %s: %s", session, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
