package dev.caod.daemon;

import java.time.Instant;

import dev.caod.CaodVersion;
import dev.caod.store.DatabaseSetup;
import dev.caod.store.FlowEntity;
import dev.caod.store.FlowRunEntity;
import dev.caod.store.MessageEntity;
import dev.caod.store.SessionEntity;
import dev.caod.store.TerminalEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What {@code caod status} shows: who this daemon is, where it listens and keeps its files, what it holds. */
@ApplicationScoped
public class DaemonStatus {

    /** Store counts at one moment. */
    public record Counts(long sessions, long terminals, long liveTerminals, long pendingMessages, long flows,
            long flowRuns) {
    }

    @Inject
    DaemonConfig config;

    @Inject
    DatabaseSetup database;

    @Inject
    ValueRegistry values;

    @ConfigProperty(name = "quarkus.http.host")
    String httpHost;

    private volatile Instant startedAt = Instant.now();
    void onStart(@Observes StartupEvent event) {
        startedAt = Instant.now();
    }

    public String version() {
        return CaodVersion.get();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long pid() {
        return ProcessHandle.current().pid();
    }

    public String httpAddress() {
        return httpHost + ":" + httpPort();
    }

    private int httpPort() {
        // the bound port, also when the configured one is 0 (random), as Quarkus registers it after the bind
        var key = LaunchMode.current() == LaunchMode.TEST ? HttpServer.HTTP_TEST_PORT : HttpServer.HTTP_PORT;
        return values.getOrDefault(key, 0);
    }

    /** The TCP gRPC address, or empty when gRPC is socket-only. */
    public String tcpAddress() {
        return config.grpc().tcp().enabled() ? httpAddress() : "";
    }

    public int schemaVersion() {
        return database.schemaVersion();
    }

    /** Blocking: reads the store. */
    public Counts counts() {
        return QuarkusTransaction.requiringNew().call(() -> new Counts(SessionEntity.countOpen(),
                TerminalEntity.count(), TerminalEntity.countLive(), MessageEntity.countUndelivered(),
                FlowEntity.count(), FlowRunEntity.count()));
    }

    public DaemonConfig config() {
        return config;
    }
}
