package dev.caod.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.terminal.AgentStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Eight threads writing at once through Panache into the real SQLite file, as busy orchestration does. */
@QuarkusTest
@QuarkusTestResource(value = CaodTestHome.class, restrictToAnnotatedClass = false)
class ConcurrentWritersTest {

    private static final int THREADS = 8;
    private static final int WRITES_PER_THREAD = 25;

    @Test
    void eightWritersNeverSeeDatabaseIsLocked() throws Exception {
        String run = Refs.newRef();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < WRITES_PER_THREAD; i++) {
                        writeSessionWithTerminal(run + "-" + thread + "-" + i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS); // rethrows any SQLITE_BUSY a writer hit
            }
        } finally {
            pool.shutdownNow();
        }
        long sessions = QuarkusTransaction.requiringNew()
                .call(() -> SessionEntity.count("name like ?1", run + "-%"));
        long events = QuarkusTransaction.requiringNew()
                .call(() -> EventEntity.count("kind = ?1 and sessionRef like ?2", "test", run + "-%"));
        assertEquals(THREADS * WRITES_PER_THREAD, sessions);
        assertEquals(THREADS * WRITES_PER_THREAD, events);
    }

    /** A read-then-write transaction: the pattern that fails with deferred transactions under contention. */
    private static void writeSessionWithTerminal(String name) {
        QuarkusTransaction.requiringNew().run(() -> {
            long before = SessionEntity.count();
            Instant now = Instant.now();
            SessionEntity s = new SessionEntity();
            s.ref = Refs.newRef();
            s.name = name;
            s.tmuxSession = "caod-" + s.ref;
            s.workingDirectory = "/tmp";
            s.createdAt = now;
            s.persist();
            TerminalEntity t = new TerminalEntity();
            t.ref = Refs.newRef();
            t.session = s;
            t.tmuxWindow = "w" + before;
            t.provider = "demo";
            t.profile = "developer";
            t.workingDirectory = "/tmp";
            t.status = AgentStatus.IDLE;
            t.statusSince = now;
            t.createdAt = now;
            t.lastActiveAt = now;
            t.persist();
            EventEntity e = new EventEntity();
            e.at = now;
            e.kind = "test";
            e.sessionRef = name;
            e.terminalRef = t.ref;
            e.payload = "{}";
            e.persist();
        });
    }
}
