package dev.caod.event;

import java.util.ArrayList;
import java.util.List;

import dev.caod.api.v1.Event;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A watcher's stream: optionally the log after a given id, then live events, with no gap and no duplicate between
 * the two (live events that arrive during the replay wait, and anything the replay already sent is skipped).
 */
@ApplicationScoped
public class EventStream {

    static final int REPLAY_PAGE = 500;

    @Inject
    EventBus bus;

    /** Watches open now: each holds a listener on the bus until its stream ends. */
    private final java.util.concurrent.atomic.AtomicInteger watching = new java.util.concurrent.atomic.AtomicInteger();

    public int watching() {
        return watching.get();
    }

    /** @param replayAfter replay the log after this id first; negative = live events only */
    public Multi<Event> watch(EventFilter filter, long replayAfter) {
        return Multi.createFrom().emitter(emitter -> start(emitter, filter, replayAfter));
    }

    /** The stored events after {@code after} that match, then the end of the stream: a log, not a watch. */
    public Multi<Event> replay(EventFilter filter, long after) {
        return Multi.createFrom().<Event>emitter(emitter -> Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                replayLog(filter, Math.max(0, after), emitter::emit, emitter::isCancelled);
                emitter.complete();
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }));
    }

    /** Hands every stored event after {@code after} that matches to {@code sink}, page by page, oldest first. */
    private void replayLog(EventFilter filter, long after, java.util.function.Consumer<Event> sink,
            java.util.function.BooleanSupplier cancelled) {
        long from = after;
        List<Event> page;
        do {
            page = bus.replay(from, filter, REPLAY_PAGE);
            for (Event event : page) {
                sink.accept(event);
                from = event.getId();
            }
        } while (page.size() == REPLAY_PAGE && !cancelled.getAsBoolean());
    }

    private void start(MultiEmitter<? super Event> emitter, EventFilter filter, long replayAfter) {
        Gate gate = new Gate(emitter, replayAfter < 0);
        AutoCloseable subscription = bus.subscribe(event -> {
            if (filter.test(event)) {
                gate.live(event);
            }
        });
        watching.incrementAndGet();
        emitter.onTermination(() -> {
            close(subscription);
            watching.decrementAndGet();
        });
        if (replayAfter >= 0) {
            // the log is read on a worker thread: never on the event loop that serves the stream
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    replayLog(filter, replayAfter, gate::replayed, emitter::isCancelled);
                    gate.goLive();
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
        }
    }

    private static void close(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // removing a listener from a list cannot fail in a way worth reporting
        }
    }

    /** Orders replayed and live events for one watcher. */
    private static final class Gate {
        private final MultiEmitter<? super Event> emitter;
        private final List<Event> held = new ArrayList<>();
        private boolean live;
        private long lastSent = -1;

        Gate(MultiEmitter<? super Event> emitter, boolean live) {
            this.emitter = emitter;
            this.live = live;
        }

        synchronized void live(Event event) {
            if (live) {
                send(event);
            } else {
                held.add(event);
            }
        }

        synchronized void replayed(Event event) {
            send(event);
        }

        synchronized void goLive() {
            held.forEach(this::send);
            held.clear();
            live = true;
        }

        private void send(Event event) {
            if (event.getId() > lastSent) {
                lastSent = event.getId();
                emitter.emit(event);
            }
        }
    }
}
