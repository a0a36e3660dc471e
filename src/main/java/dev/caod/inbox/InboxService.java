package dev.caod.inbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.MessageStateChanged;
import dev.caod.api.v1.TerminalLifecycle;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.event.EventBus;
import dev.caod.store.MessageEntity;
import dev.caod.store.TerminalEntity;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import dev.caod.terminal.TerminalException;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Terminals' inboxes. A message is stored before {@link #send} returns; it is typed into the receiver, one at a time
 * and in order, when the receiver is idle or completed: on that status event, and by a reconciler every second for a
 * receiver that went idle with nothing left to signal it. Each delivery is marked DELIVERING before typing and
 * DELIVERED after, so a crash in between is visible and re-delivered once, flagged, at the next start.
 */
@ApplicationScoped
public class InboxService {

    private static final Logger LOG = Logger.getLogger(InboxService.class);
    private static final Set<AgentStatus> READY = Set.of(AgentStatus.IDLE, AgentStatus.COMPLETED);

    private final TerminalService terminals;
    private final EventBus events;
    private final Map<String, ReentrantLock> receiverLocks = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicBoolean> lookAgain = new ConcurrentHashMap<>();

    /** How long a stop of caod waits for messages being typed: a delivery cut in half is re-sent, flagged. */
    private static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(5);

    private volatile boolean stopping;

    public InboxService(TerminalService terminals, EventBus events) {
        this.terminals = terminals;
        this.events = events;
    }

    void start(@Observes @jakarta.annotation.Priority(30) StartupEvent start) {
        int resumed = QuarkusTransaction.requiringNew().call(() -> {
            List<MessageEntity> interrupted = MessageEntity.list("state", MessageState.DELIVERING);
            for (MessageEntity m : interrupted) {
                // typed or not, we cannot know: deliver once more, and say so in the text
                m.state = MessageState.PENDING;
                m.body = "(re-sent: caod restarted while delivering this message; it may have arrived already)\n"
                        + m.body;
                m.updatedAt = Instant.now();
            }
            return interrupted.size();
        });
        if (resumed > 0) {
            LOG.infof("%d message(s) interrupted by a restart will be delivered again", resumed);
        }
        events.subscribe(this::onEvent);
    }

    /**
     * A stop of caod (SIGTERM, a service restart) lets the messages being typed finish and starts no new delivery, so
     * only a crash can leave a message half-typed.
     */
    void stop(@Observes @jakarta.annotation.Priority(0) ShutdownEvent stop) {
        stopping = true;
        long deadline = System.nanoTime() + DRAIN.toNanos();
        for (Map.Entry<String, ReentrantLock> receiver : receiverLocks.entrySet()) {
            try {
                if (receiver.getValue().tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    receiver.getValue().unlock();
                } else {
                    LOG.warnf("stopping while a message to %s is still being typed; it is re-sent at the next start",
                            receiver.getKey());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stores a message for {@code receiverRef} (default: the sender's caller) and returns it, usually PENDING.
     *
     * @param senderRef the sending terminal, or null/empty for a human or a tool
     */
    public InboxMessageView send(String senderRef, String receiverRef, String body) {
        if (body == null || body.isBlank()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "body: required");
        }
        boolean fromTerminal = senderRef != null && !senderRef.isBlank();
        TerminalView sender = fromTerminal ? terminals.terminal(senderRef) : null;
        String receiver = receiverRef != null && !receiverRef.isBlank() ? receiverRef
                : sender != null && !sender.callerId().isEmpty() ? sender.callerId() : null;
        if (receiver == null) {
            throw new TerminalException(TerminalException.Kind.INVALID, "receiver_terminal_id: required"
                    + (fromTerminal ? " (terminal " + senderRef + " was not started by another agent, so it has no"
                            + " default receiver)" : ""));
        }
        if (receiver.equals(senderRef)) {
            throw new TerminalException(TerminalException.Kind.INVALID, "receiver_terminal_id: a terminal cannot send"
                    + " a message to itself");
        }
        TerminalView to = terminals.terminal(receiver);
        if (to.lifecycle() == Lifecycle.EXITED) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "terminal " + receiver + " has exited ("
                    + to.exitReason() + "); its inbox takes no more messages");
        }
        String text = body;
        InboxMessageView stored = QuarkusTransaction.requiringNew().call(() -> {
            MessageEntity m = new MessageEntity();
            m.sender = fromTerminal ? TerminalEntity.byRef(senderRef) : null;
            m.receiver = TerminalEntity.byRef(receiver);
            m.body = text;
            m.createdAt = Instant.now();
            m.updatedAt = m.createdAt;
            m.persist();
            return InboxMessageView.of(m);
        });
        publish(stored);
        Thread.ofVirtual().start(() -> deliver(receiver));
        return stored;
    }

    public List<InboxMessageView> inbox(String terminalRef, Set<MessageState> states, int limit) {
        terminals.terminal(terminalRef);
        int max = limit <= 0 ? 100 : limit;
        return QuarkusTransaction.requiringNew().call(() -> {
            List<InboxMessageView> all = MessageEntity.<MessageEntity>list("receiver.ref = ?1 order by id", terminalRef)
                    .stream().filter(m -> states.isEmpty() || states.contains(m.state)).map(InboxMessageView::of)
                    .toList();
            return all.subList(Math.max(0, all.size() - max), all.size());
        });
    }

    public InboxMessageView message(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MessageEntity m = MessageEntity.findById(id);
            if (m == null) {
                throw new TerminalException(TerminalException.Kind.NOT_FOUND, "no message with id " + id);
            }
            return InboxMessageView.of(m);
        });
    }

    /** Safety net: a receiver that is already idle gets its messages even when no status event comes. */
    @Scheduled(every = "${caod.inbox.reconcile:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        List<String> receivers = QuarkusTransaction.requiringNew().call(() -> MessageEntity
                .<MessageEntity>list("state", MessageState.PENDING).stream().map(m -> m.receiver.ref).distinct()
                .toList());
        receivers.forEach(this::deliver);
    }

    private void onEvent(Event e) {
        if (e.hasStatusChanged() && (e.getStatusChanged().getCurrent() == TerminalStatus.TERMINAL_STATUS_IDLE
                || e.getStatusChanged().getCurrent() == TerminalStatus.TERMINAL_STATUS_COMPLETED)) {
            Thread.ofVirtual().start(() -> deliver(e.getTerminalId()));
        } else if (e.hasLifecycleChanged()
                && e.getLifecycleChanged().getCurrent() == TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED) {
            Thread.ofVirtual().start(() -> failAll(e.getTerminalId(), "the receiver exited ("
                    + e.getLifecycleChanged().getReason() + ") before the message could be delivered"));
        }
    }

    /**
     * Types the receiver's oldest pending message if it is ready; one per ready moment, in order. A call that finds
     * a delivery to the same receiver under way leaves a note, and that delivery looks again when it is done: a
     * receiver that answered while its last message was still being typed is not left waiting for the reconciler.
     */
    void deliver(String receiverRef) {
        ReentrantLock lock = receiverLocks.computeIfAbsent(receiverRef, r -> new ReentrantLock());
        java.util.concurrent.atomic.AtomicBoolean again = lookAgain.computeIfAbsent(receiverRef,
                r -> new java.util.concurrent.atomic.AtomicBoolean());
        again.set(true);
        while (again.get() && lock.tryLock()) {
            try {
                again.set(false);
                deliverOne(receiverRef);
            } finally {
                lock.unlock();
            }
        }
    }

    private void deliverOne(String receiverRef) {
        try {
            if (stopping) {
                return;
            }
            TerminalView receiver = terminals.terminal(receiverRef);
            if (receiver.lifecycle() == Lifecycle.EXITED) {
                failAll(receiverRef, "the receiver exited (" + receiver.exitReason() + ")");
                return;
            }
            if (receiver.lifecycle() != Lifecycle.RUNNING || !READY.contains(receiver.status())) {
                return;
            }
            MessageEntity next = claimNext(receiverRef);
            if (next == null) {
                return;
            }
            InboxMessageView claimed = QuarkusTransaction.requiringNew().call(() -> InboxMessageView.of(
                    MessageEntity.findById(next.id)));
            publish(claimed);
            try {
                terminals.sendInput(receiverRef, typed(claimed), false, false, true);
                update(claimed.id(), MessageState.DELIVERED, null);
            } catch (TerminalException e) {
                if (e.kind() == TerminalException.Kind.PRECONDITION
                        && (e.getMessage().contains("dialog") || e.getMessage().contains("busy"))) {
                    // not typed: it waits for the receiver's next idle or completed moment
                    update(claimed.id(), MessageState.PENDING, null);
                } else {
                    update(claimed.id(), MessageState.FAILED, "could not be typed into terminal " + receiverRef + ": "
                            + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("delivery to %s failed: %s", receiverRef, e.getMessage());
        }
    }

    private MessageEntity claimNext(String receiverRef) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MessageEntity m = MessageEntity.<MessageEntity>find("receiver.ref = ?1 and state = ?2 order by id",
                    receiverRef, MessageState.PENDING).firstResult();
            if (m != null) {
                m.state = MessageState.DELIVERING; // marked before typing: a crash now is re-delivered, flagged
                m.attempts++;
                m.updatedAt = Instant.now();
            }
            return m;
        });
    }

    private static String typed(InboxMessageView m) {
        String from = m.senderId().isEmpty() ? "a person or tool (over caod)" : "terminal " + m.senderId();
        return "[message from " + from + "] " + m.body();
    }

    private void update(long id, MessageState state, String reason) {
        InboxMessageView v = QuarkusTransaction.requiringNew().call(() -> {
            MessageEntity m = MessageEntity.findById(id);
            m.state = state;
            m.failureReason = reason;
            m.updatedAt = Instant.now();
            if (state == MessageState.DELIVERED) {
                m.deliveredAt = m.updatedAt;
            }
            return InboxMessageView.of(m);
        });
        publish(v);
    }

    private void failAll(String receiverRef, String reason) {
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> MessageEntity.<MessageEntity>list(
                "receiver.ref = ?1 and state = ?2", receiverRef, MessageState.PENDING).stream().map(m -> m.id).toList());
        ids.forEach(id -> update(id, MessageState.FAILED, reason));
    }

    private void publish(InboxMessageView m) {
        String session = terminals.terminal(m.receiverId()).sessionId();
        events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_MESSAGE).setSessionId(session)
                .setTerminalId(m.receiverId()).setMessage(MessageStateChanged.newBuilder().setMessageId(m.id())
                        .setSenderTerminalId(m.senderId()).setReceiverTerminalId(m.receiverId())
                        .setState(dev.caod.api.v1.MessageState.valueOf("MESSAGE_STATE_" + m.state().name()))
                        .setFailureReason(m.failureReason())));
    }
}
