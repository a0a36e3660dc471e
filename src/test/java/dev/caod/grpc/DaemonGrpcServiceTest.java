package dev.caod.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.CaodVersion;
import dev.caod.api.v1.DaemonPhase;
import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.DaemonStateChanged;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.api.v1.HandoffRequest;
import dev.caod.api.v1.ListFlowsRequest;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.WatchEventsRequest;
import dev.caod.cli.DaemonClient;
import dev.caod.event.EventBus;
import dev.caod.event.EventFilter;
import dev.caod.store.SchemaMigrator;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The daemon's gRPC API over its real Unix socket, with a plain grpc-java client as other tools would use. */
@QuarkusTest
class DaemonGrpcServiceTest {

    @Inject
    EventBus bus;

    @Inject
    dev.caod.event.EventStream streams;

    @TestHTTPResource("/")
    java.net.URL http;

    private DaemonClient client;

    @BeforeEach
    void connect() {
        client = DaemonClient.forSocket(CaodTestHome.paths().defaultSocket(), Duration.ofSeconds(20));
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void healthIsServing() {
        assertEquals(ServingStatus.SERVING, client.stub(HealthGrpc.newBlockingStub(client.channel()))
                .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }

    @Test
    void reflectionListsEveryService() throws Exception {
        List<String> services = new ArrayList<>();
        var done = new java.util.concurrent.CountDownLatch(1);
        var requests = ServerReflectionGrpc.newStub(client.channel()).serverReflectionInfo(
                new StreamObserver<ServerReflectionResponse>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
                                .forEach(services::add);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertTrue(done.await(20, TimeUnit.SECONDS));
        assertTrue(services.containsAll(Set.of("caod.v1.DaemonService", "caod.v1.SessionService",
                "caod.v1.MessagingService", "caod.v1.FlowService", "caod.v1.ProfileService", "grpc.health.v1.Health")),
                "reflection listed " + services);
    }

    @Test
    void statusNamesVersionPathsAndSchema() {
        GetStatusResponse status = client.stub(DaemonServiceGrpc.newBlockingStub(client.channel()))
                .getStatus(GetStatusRequest.getDefaultInstance());
        assertEquals(CaodVersion.get(), status.getVersion());
        assertEquals(ProcessHandle.current().pid(), status.getPid());
        assertEquals(CaodTestHome.paths().defaultSocket().toString(), status.getGrpcSocket());
        assertEquals(CaodTestHome.paths().defaultDatabase().toString(), status.getDatabasePath());
        assertEquals(new SchemaMigrator(SchemaMigrator.PRODUCTION_MIGRATIONS).latestVersion(),
                status.getSchemaVersion());
        assertEquals("", status.getTcpAddress(), "TCP gRPC is off by default");
        assertEquals("127.0.0.1:" + http.getPort(), status.getHttpAddress());

        Event newest = bus.publish(daemonEvent(1002));
        long latest = client.stub(DaemonServiceGrpc.newBlockingStub(client.channel()))
                .getStatus(GetStatusRequest.getDefaultInstance()).getLatestEventId();
        // at least this one: other work of the daemon may have logged more since
        assertTrue(latest >= newest.getId(), "latest event id " + latest + " < " + newest.getId());
    }

    @Test
    void watchEventsReplaysTheLogThenStreamsLiveWithoutGapOrDuplicate() throws Exception {
        int watchesBefore = streams.watching(); // counts watches only: the daemon's own listeners come and go
        Event before = bus.publish(daemonEvent(1001));
        List<Event> seen = new CopyOnWriteArrayList<>();
        Context.CancellableContext watch = Context.current().withCancellation();
        try {
            watch.run(() -> DaemonServiceGrpc.newStub(client.channel()).watchEvents(
                    WatchEventsRequest.newBuilder().addKinds(EventKind.EVENT_KIND_DAEMON)
                            .setAfterEventId(before.getId() - 1).build(),
                    collector(seen)));
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().anyMatch(e -> e.getId() == before.getId()));
            await().atMost(Duration.ofSeconds(20)).until(() -> streams.watching() > watchesBefore);
            Event live = bus.publish(daemonEvent(1002));
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().anyMatch(e -> e.getId() == live.getId()));
            List<Long> ids = seen.stream().map(Event::getId).toList();
            assertEquals(ids.stream().distinct().sorted().toList(), ids, "in order, each once: " + ids);
            assertEquals(1002, seen.getLast().getDaemon().getPid());
            assertTrue(seen.stream().allMatch(e -> e.getKind() == EventKind.EVENT_KIND_DAEMON));
        } finally {
            watch.cancel(null);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> streams.watching() == watchesBefore);
    }

    @Test
    void watchEventsFromZeroReplaysTheWholeLogAndUnsetMeansLiveOnly() throws Exception {
        int watchesBefore = streams.watching();
        bus.publish(daemonEvent(1003));
        long oldest = bus.replay(0, EventFilter.ALL, 1).getFirst().getId();
        List<Event> fromZero = new CopyOnWriteArrayList<>();
        List<Event> liveOnly = new CopyOnWriteArrayList<>();
        Context.CancellableContext watch = Context.current().withCancellation();
        try {
            watch.run(() -> {
                DaemonServiceGrpc.newStub(client.channel()).watchEvents(
                        WatchEventsRequest.newBuilder().setAfterEventId(0).build(), collector(fromZero));
                DaemonServiceGrpc.newStub(client.channel()).watchEvents(
                        WatchEventsRequest.getDefaultInstance(), collector(liveOnly));
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> !fromZero.isEmpty()
                    && streams.watching() >= watchesBefore + 2);
            assertEquals(oldest, fromZero.getFirst().getId(), "after_event_id 0 starts at the oldest stored event");
            Event live = bus.publish(daemonEvent(1004));
            await().atMost(Duration.ofSeconds(20)).until(() -> liveOnly.stream().anyMatch(e -> e.getId() == live.getId())
                    && fromZero.stream().anyMatch(e -> e.getId() == live.getId()));
            assertEquals(List.of(live.getId()), liveOnly.stream().map(Event::getId).toList(),
                    "without after_event_id nothing stored is replayed");
        } finally {
            watch.cancel(null);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> streams.watching() == watchesBefore);
    }

    private static Event.Builder daemonEvent(long pid) {
        return Event.newBuilder().setKind(EventKind.EVENT_KIND_DAEMON).setDaemon(
                DaemonStateChanged.newBuilder().setPhase(DaemonPhase.DAEMON_PHASE_STARTED).setPid(pid));
    }

    private static StreamObserver<Event> collector(List<Event> seen) {
        return new StreamObserver<>() {
            @Override
            public void onNext(Event value) {
                seen.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

}
