package dev.caod.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import com.google.protobuf.util.Durations;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.GetSessionRequest;
import dev.caod.api.v1.WatchEventsRequest;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caod session log}: a session's orchestration timeline, from the daemon's event log. */
@Command(name = "log", mixinStandardHelpOptions = true, description = {
        "A session's timeline: workers started (by whom, for what), tasks sent, messages queued, delivered or failed,",
        "handoff outcomes, status changes with --all. -o json prints the events themselves."})
final class SessionLogCommand extends SessionCommand.One {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Option(names = "--all", description = "Include every status change, not just orchestration steps.")
    boolean all;

    @Override
    public void run() {
        Rpc.sessions(options, s -> s.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()));
        List<Event> events = new ArrayList<>();
        try (DaemonClient client = DaemonClient.connect(options)) {
            try {
                Iterator<Event> it = client.stub(DaemonServiceGrpc.newBlockingStub(client.channel())).watchEvents(
                        WatchEventsRequest.newBuilder().setSessionId(id).setAfterEventId(0).setReplayOnly(true).build());
                it.forEachRemaining(e -> {
                    if (all || !e.hasStatusChanged()) {
                        events.add(e);
                    }
                });
            } catch (StatusRuntimeException e) {
                throw client.explain(e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            events.forEach(e -> Json.print(out, e));
            return;
        }
        events.forEach(e -> out.println(line(e)));
        out.flush();
    }

    /** One event as a timeline line: when, what, who, whom. */
    static String line(Event e) {
        String at = TIME.format(Instant.ofEpochSecond(e.getAt().getSeconds(), e.getAt().getNanos()));
        return at + "  " + switch (e.getPayloadCase()) {
            case ORCHESTRATION -> {
                var o = e.getOrchestration();
                String actor = o.getActorTerminalId().isEmpty() ? "you" : o.getActorTerminalId();
                yield switch (o.getAction()) {
                    case ORCHESTRATION_ACTION_HANDOFF_STARTED -> actor + " handed off to " + o.getWorkerTerminalId()
                            + " (" + o.getAgentProfile() + "): " + o.getDetail();
                    case ORCHESTRATION_ACTION_ASSIGNED -> actor + " assigned " + o.getWorkerTerminalId() + " ("
                            + o.getAgentProfile() + "): " + o.getDetail();
                    case ORCHESTRATION_ACTION_TASK_SENT -> "task typed into " + o.getWorkerTerminalId();
                    case ORCHESTRATION_ACTION_WORKER_NOT_STARTED -> o.getWorkerTerminalId() + " (" + o.getAgentProfile()
                            + ") did not start: " + o.getDetail();
                    default -> "orchestration step " + o.getAction();
                };
            }
            case HANDOFF -> {
                var h = e.getHandoff();
                yield "handoff to " + h.getWorkerTerminalId() + " (" + h.getAgentProfile() + ") ended "
                        + h.getOutcome().name().substring("HANDOFF_OUTCOME_".length()).toLowerCase(Locale.ROOT)
                        + String.format(Locale.ROOT, " after %.1f s", Durations.toMillis(h.getElapsed()) / 1000.0)
                        + (h.getDetail().isEmpty() ? "" : ": " + h.getDetail());
            }
            case MESSAGE -> {
                var m = e.getMessage();
                yield "message " + m.getMessageId() + " " + (m.getSenderTerminalId().isEmpty() ? "from you"
                        : "from " + m.getSenderTerminalId()) + " to " + m.getReceiverTerminalId() + ": "
                        + m.getState().name().substring("MESSAGE_STATE_".length()).toLowerCase(Locale.ROOT)
                        + (m.getFailureReason().isEmpty() ? "" : " (" + m.getFailureReason() + ")");
            }
            case LIFECYCLE_CHANGED -> {
                var l = e.getLifecycleChanged();
                yield e.getTerminalId() + " " + l.getCurrent().name().substring("TERMINAL_LIFECYCLE_".length())
                        .toLowerCase(Locale.ROOT) + " (" + l.getReason() + ")";
            }
            case FAULT -> "fault in " + e.getFault().getComponent() + ": " + e.getFault().getProblem()
                    + (e.getFault().getFix().isEmpty() ? "" : " (fix: " + e.getFault().getFix() + ")");
            case STATUS_CHANGED -> e.getTerminalId() + " is " + e.getStatusChanged().getCurrent().name()
                    .substring("TERMINAL_STATUS_".length()).toLowerCase(Locale.ROOT);
            default -> e.getKind().name().substring("EVENT_KIND_".length()).toLowerCase(Locale.ROOT);
        };
    }
}
