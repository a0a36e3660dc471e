package dev.caod.flow;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.FlowFileChanged;
import dev.caod.api.v1.FlowState;
import dev.caod.event.EventBus;
import dev.caod.store.FlowEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;

/**
 * Keeps the Quarkus scheduler's jobs equal to the valid, enabled flows: after every change of the folders or of a
 * flow's enabled state the wanted jobs are compared with the scheduled ones, and only the differences are touched.
 * Also runs each flow's one catch-up run at start when caod was down at a scheduled time.
 */
@ApplicationScoped
public class FlowScheduler {

    private static final Logger LOG = Logger.getLogger(FlowScheduler.class);
    private static final String JOB = "flow:";

    private final Scheduler scheduler;
    private final FlowCatalog catalog;
    private final FlowRunner runner;
    private final EventBus events;
    private final FlowSettings settings;
    /** Scheduled flows by name, with what they were scheduled as. */
    private final Map<String, String> scheduled = new HashMap<>();
    /** What each file looked like at the last sync, to publish only real changes. */
    private final Map<String, String> seenFiles = new HashMap<>();

    public FlowScheduler(Scheduler scheduler, FlowCatalog catalog, FlowRunner runner, EventBus events,
            FlowSettings settings) {
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.runner = runner;
        this.events = events;
        this.settings = settings;
    }

    void start(@Observes @Priority(49) StartupEvent start) {
        catalog.onChange(this::sync);
    }

    /** Effective enabled state of a valid flow: the API's override when set, else the file's. */
    public boolean enabled(FlowDefinition flow) {
        return QuarkusTransaction.requiringNew().call(() -> {
            FlowEntity row = remember(flow);
            return row.enabled;
        });
    }

    public void setEnabled(String name, boolean enabled) {
        QuarkusTransaction.requiringNew().run(() -> {
            FlowEntity row = FlowEntity.byName(name);
            row.enabledOverride = enabled;
            row.enabled = enabled;
            row.updatedAt = Instant.now();
        });
        sync();
    }

    /** When the flow runs next, if it is scheduled. */
    public Optional<ZonedDateTime> nextRun(FlowDefinition flow) {
        synchronized (this) {
            if (!scheduled.containsKey(flow.name())) {
                return Optional.empty();
            }
        }
        return Optional.of(flow.nextRun(ZonedDateTime.now(zone(flow))));
    }

    synchronized void sync() {
        Map<String, FlowDefinition> wanted = new HashMap<>();
        List<FlowCatalog.Entry> entries = catalog.entries();
        for (FlowCatalog.Entry e : entries) {
            publishIfChanged(e);
            if (e.valid() && enabled(e.flow())) {
                wanted.put(e.flow().name(), e.flow());
            }
        }
        for (String name : List.copyOf(scheduled.keySet())) {
            FlowDefinition flow = wanted.get(name);
            if (flow == null || !signature(flow).equals(scheduled.get(name))) {
                scheduler.unscheduleJob(JOB + name);
                scheduled.remove(name);
            }
        }
        for (FlowDefinition flow : wanted.values()) {
            if (!scheduled.containsKey(flow.name())) {
                schedule(flow);
            }
        }
        for (String gone : List.copyOf(seenFiles.keySet())) {
            if (entries.stream().noneMatch(e -> e.file().toString().equals(gone))) {
                seenFiles.remove(gone);
                events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_FLOW_FILE).setFlowFile(FlowFileChanged
                        .newBuilder().setFilePath(gone).setRemoved(true)));
            }
        }
    }

    private void schedule(FlowDefinition flow) {
        var job = scheduler.newJob(JOB + flow.name()).setConcurrentExecution(Scheduled.ConcurrentExecution.PROCEED)
                .setTask(execution -> runner.start(flow.name(), execution.getScheduledFireTime(), false));
        if (flow.interval() != null) {
            job.setInterval(flow.interval().toMillis() + "ms");
        } else {
            job.setCron(flow.schedule());
            if (flow.zone() != null) {
                job.setTimeZone(flow.zone().getId());
            }
        }
        job.schedule();
        scheduled.put(flow.name(), signature(flow));
        catchUp(flow);
    }

    /** One run for the scheduled times missed while caod was down (or none, as configured). */
    private void catchUp(FlowDefinition flow) {
        Instant last = QuarkusTransaction.requiringNew().call(() -> {
            FlowEntity row = remember(flow);
            if (row.lastFireAt == null) {
                row.lastFireAt = Instant.now(); // new to caod: nothing was missed
                return null;
            }
            return row.lastFireAt;
        });
        if (last == null || flow.interval() != null) {
            return;
        }
        Instant missed = flow.nextRun(last.atZone(zone(flow))).toInstant();
        if (missed.isBefore(Instant.now().minusSeconds(1))) {
            if (settings.catchUp() == FlowSettings.CatchUp.ONE) {
                LOG.infof("flow %s missed its run at %s while caod was down; running it once now", flow.name(),
                        missed);
                runner.start(flow.name(), missed, false);
            } else {
                QuarkusTransaction.requiringNew().run(() -> FlowEntity.byName(flow.name()).lastFireAt = Instant.now());
            }
        }
    }

    /** The flow's row, created on first sight; follows the file's `enabled` whenever the file changes it. */
    private FlowEntity remember(FlowDefinition flow) {
        FlowEntity row = FlowEntity.byName(flow.name());
        Instant now = Instant.now();
        if (row == null) {
            row = new FlowEntity();
            row.name = flow.name();
            row.createdAt = now;
        }
        row.filePath = flow.file();
        if (row.fileEnabled == null || row.fileEnabled != flow.enabled()) {
            row.fileEnabled = flow.enabled();
            row.enabledOverride = null; // the user changed the file: it speaks again
        }
        row.enabled = row.enabledOverride != null ? row.enabledOverride : flow.enabled();
        row.updatedAt = now;
        if (!row.isPersistent()) {
            row.persist();
        }
        return row;
    }

    private void publishIfChanged(FlowCatalog.Entry e) {
        String state = e.valid() ? (enabled(e.flow()) ? "enabled" : "disabled") + signature(e.flow())
                : "invalid " + e.error();
        if (state.equals(seenFiles.put(e.file().toString(), state))) {
            return;
        }
        FlowFileChanged.Builder change = FlowFileChanged.newBuilder().setFlowName(e.name())
                .setFilePath(e.file().toString());
        if (e.valid()) {
            change.setState(enabled(e.flow()) ? FlowState.FLOW_STATE_ENABLED : FlowState.FLOW_STATE_DISABLED);
        } else {
            change.setState(FlowState.FLOW_STATE_INVALID).setError(e.error());
            LOG.warnf("flow file %s is invalid:\n%s", e.file(), e.error());
        }
        events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_FLOW_FILE).setFlowFile(change));
    }

    private static String signature(FlowDefinition flow) {
        return flow.schedule() + "|" + flow.zone() + "|" + flow.interval();
    }

    private static ZoneId zone(FlowDefinition flow) {
        return flow.effectiveZone();
    }
}
