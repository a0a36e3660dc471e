package dev.caod.grpc;

import java.util.HashSet;

import dev.caod.api.v1.DaemonService;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.api.v1.WatchEventsRequest;
import dev.caod.daemon.DaemonStatus;
import dev.caod.event.EventBus;
import dev.caod.event.EventFilter;
import dev.caod.event.EventStream;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** gRPC face of the daemon itself: status and the event stream. */
@GrpcService
public class DaemonGrpcService implements DaemonService {

    @Inject
    DaemonStatus status;

    @Inject
    EventStream events;

    @Inject
    EventBus log;

    @Inject
    dev.caod.tmux.TmuxSettings tmux;

    @Override
    @RunOnVirtualThread
    public Uni<GetStatusResponse> getStatus(GetStatusRequest request) {
        DaemonStatus.Counts counts = status.counts();
        var config = status.config();
        return Uni.createFrom().item(GetStatusResponse.newBuilder()
                .setVersion(status.version())
                .setStartedAt(EventBus.timestamp(status.startedAt()))
                .setPid(status.pid())
                .setGrpcSocket(config.grpc().socket().toString())
                .setTcpAddress(status.tcpAddress())
                .setHttpAddress(status.httpAddress())
                .setDatabasePath(config.database().path().toString())
                .setStateDir(config.stateDir().toString())
                .setConfigDir(config.configDir().toString())
                .setRuntimeDir(config.runtimeDir().toString())
                .setTmuxSocket(tmux.socketName())
                .setSchemaVersion(status.schemaVersion())
                .setSessions(counts.sessions())
                .setTerminals(counts.terminals())
                .setLiveTerminals(counts.liveTerminals())
                .setPendingMessages(counts.pendingMessages())
                .setFlows(counts.flows())
                .setFlowRuns(counts.flowRuns())
                .setLatestEventId(log.latestId())
                .build());
    }

    @Override
    public Multi<Event> watchEvents(WatchEventsRequest request) {
        EventFilter filter = new EventFilter(new HashSet<>(request.getKindsList()), request.getSessionId(),
                request.getTerminalId());
        if (request.getReplayOnly()) {
            return events.replay(filter, request.hasAfterEventId() ? request.getAfterEventId() : 0);
        }
        return events.watch(filter, request.hasAfterEventId() ? Math.max(0, request.getAfterEventId()) : -1);
    }
}
