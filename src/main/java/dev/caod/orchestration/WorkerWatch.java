package dev.caod.orchestration;

import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import dev.caod.event.EventBus;
import dev.caod.terminal.TerminalException;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;

/**
 * Waits until a worker reaches a state, woken by its status and lifecycle events rather than by polling its pane.
 * The caller's own events wake it too, so a handoff notices at once when its caller goes away.
 */
final class WorkerWatch implements AutoCloseable {

    /** How a wait ended. */
    enum End { REACHED, TIMED_OUT, CANCELLED }

    record Result(End end, TerminalView worker) {
    }

    /** Cancellation is a flag owned by the transport (a closed HTTP connection, a cancelled RPC): look this often. */
    private static final long CANCEL_CHECK_MILLIS = 200;

    private final TerminalService terminals;
    private final String worker;
    private final Semaphore wake = new Semaphore(0);
    private final AutoCloseable subscription;
    private volatile boolean callerGone;

    WorkerWatch(TerminalService terminals, EventBus events, String worker, String caller) {
        this.terminals = terminals;
        this.worker = worker;
        Set<String> watched = caller == null ? Set.of(worker) : Set.of(worker, caller);
        this.subscription = events.subscribe(e -> {
            if (watched.contains(e.getTerminalId()) && (e.hasStatusChanged() || e.hasLifecycleChanged())) {
                if (e.getTerminalId().equals(caller) && e.hasLifecycleChanged() && e.getLifecycleChanged()
                        .getCurrent() == dev.caod.api.v1.TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED) {
                    callerGone = true;
                }
                wake.release();
            }
        });
    }

    /**
     * Waits until {@code reached} holds for the worker, the deadline passes, or the wait is cancelled: by
     * {@code cancelled}, or because the caller's terminal exited.
     */
    Result until(Predicate<TerminalView> reached, long deadlineNanos, BooleanSupplier cancelled) {
        TerminalView view = terminals.terminal(worker);
        while (true) {
            if (reached.test(view)) {
                return new Result(End.REACHED, view);
            }
            if (callerGone || cancelled.getAsBoolean()) {
                return new Result(End.CANCELLED, view);
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return new Result(End.TIMED_OUT, view);
            }
            try {
                if (wake.tryAcquire(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, CANCEL_CHECK_MILLIS),
                        TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                    view = terminals.terminal(worker);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(End.CANCELLED, view);
            }
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "could not stop watching " + worker);
        }
    }
}
