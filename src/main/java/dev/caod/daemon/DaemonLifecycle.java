package dev.caod.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.caod.api.v1.DaemonPhase;
import dev.caod.api.v1.DaemonStateChanged;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.event.EventBus;
import dev.caod.store.DatabaseSetup;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.DomainSocketServerStart;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** The daemon's start and stop: private socket, TCP token, lifecycle events, and health that drops first. */
@ApplicationScoped
public class DaemonLifecycle {

    private static final Logger LOG = Logger.getLogger(DaemonLifecycle.class);

    @Inject
    DaemonConfig config;

    @Inject
    TcpToken token;

    @Inject
    GrpcHealthStorage health;

    @Inject
    EventBus events;

    void onStart(@Observes @Priority(DatabaseSetup.PRIORITY + 1) StartupEvent event) throws IOException {
        if (config.grpc().tcp().enabled()) {
            token.load();
            LOG.infof("gRPC over loopback TCP is on; clients need the token in %s", token.file());
        }
        events.publish(daemonEvent(DaemonPhase.DAEMON_PHASE_STARTED));
    }

    /** Quarkus fires this asynchronously after the bind; the 0700 folder guards the socket until then. */
    void onSocketBound(@ObservesAsync DomainSocketServerStart event) throws IOException {
        Path socket = config.grpc().socket();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        LOG.infof("caod serving gRPC on unix:%s", socket);
    }

    /** Runs before the framework's own shutdown observers, so watchers learn NOT_SERVING before streams close. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        health.getStatuses().keySet().forEach(service -> health.setStatus(service, ServingStatus.NOT_SERVING));
        health.setStatus(GrpcHealthStorage.DEFAULT_SERVICE_NAME, ServingStatus.NOT_SERVING);
        try {
            events.publish(daemonEvent(DaemonPhase.DAEMON_PHASE_STOPPING));
        } catch (RuntimeException e) {
            LOG.warnf("could not record the stop event: %s", e.getMessage());
        }
    }

    private static Event.Builder daemonEvent(DaemonPhase phase) {
        return Event.newBuilder().setKind(EventKind.EVENT_KIND_DAEMON)
                .setDaemon(DaemonStateChanged.newBuilder().setPhase(phase)
                        .setPid(ProcessHandle.current().pid()));
    }
}
