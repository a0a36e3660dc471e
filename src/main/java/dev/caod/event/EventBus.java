package dev.caod.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;

import dev.caod.api.v1.Event;
import dev.caod.store.EventEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The daemon's one event bus: every status change, message, handoff and flow run is written to the event log and
 * then handed to the live listeners (WatchEvents streams, orchestration waits, the inbox). Writing first means a
 * listener never sees an event that a replay could not find again.
 */
@ApplicationScoped
public class EventBus {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Persists the event, then delivers it to every listener, in id order. Blocking (a database write): call it from
     * a worker or virtual thread. Listeners must not block either; they queue.
     */
    public synchronized Event publish(Event.Builder draft) {
        Instant now = Instant.now();
        Event unsaved = draft.clearId().setAt(timestamp(now)).build();
        EventEntity row = new EventEntity();
        row.at = now;
        row.kind = kindName(unsaved);
        row.sessionRef = emptyToNull(unsaved.getSessionId());
        row.terminalRef = emptyToNull(unsaved.getTerminalId());
        row.payload = toJson(unsaved);
        QuarkusTransaction.requiringNew().run(row::persist);
        Event event = unsaved.toBuilder().setId(row.id).build();
        for (Consumer<Event> listener : listeners) {
            listener.accept(event);
        }
        return event;
    }

    /** Registers a live listener; close the handle to stop. */
    public AutoCloseable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Events after {@code afterId} from the log, oldest first, matching the filter; at most {@code limit}. */
    public List<Event> replay(long afterId, EventFilter filter, int limit) {
        List<EventEntity> rows = QuarkusTransaction.requiringNew().call(() -> EventEntity
                .find(filter.whereClause("id > ?1"), filter.parameters(afterId)).page(0, limit).list());
        List<Event> out = new ArrayList<>(rows.size());
        for (EventEntity row : rows) {
            Event event = fromJson(row);
            if (filter.test(event)) {
                out.add(event);
            }
        }
        return out;
    }

    /** The newest event's id (0 for an empty log): resuming a watch after it misses nothing from now on. */
    public long latestId() {
        return QuarkusTransaction.requiringNew().call(() -> EventEntity.find("select max(id) from EventEntity")
                .project(Long.class).firstResultOptional().orElse(0L));
    }

    static String kindName(Event event) {
        return kindName(event.getKind());
    }

    /** How a kind is stored in the log's kind column: {@code status_changed}. */
    static String kindName(dev.caod.api.v1.EventKind kind) {
        return kind.name().replaceFirst("^EVENT_KIND_", "").toLowerCase(Locale.ROOT);
    }

    private static Event fromJson(EventEntity row) {
        Event.Builder builder = Event.newBuilder();
        try {
            PARSER.merge(row.payload, builder);
        } catch (InvalidProtocolBufferException e) {
            // an unreadable row must not break a whole replay: keep what the columns say
            builder.clear().setSessionId(nullToEmpty(row.sessionRef)).setTerminalId(nullToEmpty(row.terminalRef));
        }
        return builder.setId(row.id).setAt(timestamp(row.at)).build();
    }

    private static String toJson(Event event) {
        try {
            return PRINTER.print(event);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("event not printable as JSON: " + e.getMessage(), e);
        }
    }

    public static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
