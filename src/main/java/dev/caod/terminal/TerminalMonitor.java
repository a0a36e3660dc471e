package dev.caod.terminal;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.caod.tmux.PaneInfo;
import dev.caod.tmux.Tmux;
import dev.caod.tmux.TmuxException;

/**
 * Looks at a terminal's screen when its pane wrote output, never on a per-pane timer: an output signal schedules one
 * look once output has paused for {@code settle} (or after {@code max-settle} while it keeps flowing). A prompt seen
 * while output still flows is not believed until a look after a pause. A slow safety net re-checks terminals nobody
 * looked at for {@code recheck}, in case a stream stalled or a pane died silently.
 */
final class TerminalMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TerminalMonitor.class);

    /** What the monitor reports. Called on a virtual thread. */
    interface Sink {
        /**
         * @param newAnswer the verdict completes the turn that was armed by the last input: a new answer, even when
         *                  the status stays {@code completed} (a CLI that answers before it is seen busy)
         */
        void verdict(LiveTerminal terminal, Verdict previous, Verdict next, Snapshot snapshot, boolean newAnswer);

        void ready(LiveTerminal terminal);

        /** Every look at the pane, with the status it shows, for live views of the screen. */
        void looked(LiveTerminal terminal, Snapshot snapshot, AgentStatus status);
    }

    private final Tmux tmux;
    private final TerminalSettings settings;
    private final Sink sink;
    private final Map<String, LiveTerminal> terminals = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("caod-terminal-timer").daemon().factory());

    TerminalMonitor(Tmux tmux, TerminalSettings settings, Sink sink) {
        this.tmux = tmux;
        this.settings = settings;
        this.sink = sink;
        long every = Math.max(100, settings.recheck().toMillis() / 2);
        timer.scheduleWithFixedDelay(this::safetyNet, every, every, TimeUnit.MILLISECONDS);
    }

    void watch(LiveTerminal t) {
        terminals.put(t.ref, t);
        tmux.onOutput(t.pane, pane -> signal(t));
        signal(t);
    }

    void unwatch(LiveTerminal t) {
        terminals.remove(t.ref);
        tmux.stopOutput(t.pane);
        synchronized (t) {
            if (t.scheduled != null) {
                t.scheduled.cancel(false);
            }
        }
    }

    LiveTerminal get(String ref) {
        return terminals.get(ref);
    }

    Collection<LiveTerminal> all() {
        return terminals.values();
    }

    /** Output arrived (or input was sent): schedule a look. Never blocks: runs on tmux's reader thread. */
    void signal(LiveTerminal t) {
        synchronized (t) {
            t.lastSignal = Instant.now();
            schedule(t);
        }
    }

    /** Schedules a look without claiming new output: a re-look must not keep the pane from ever being quiet. */
    private void schedule(LiveTerminal t) {
        Instant now = Instant.now();
        synchronized (t) {
            if (t.pendingSince == null) {
                t.pendingSince = now;
            }
            long untilMax = Duration.between(now, t.pendingSince.plus(settings.maxSettle())).toMillis();
            long delay = Math.max(0, Math.min(settings.settle().toMillis(), untilMax));
            if (t.scheduled != null) {
                t.scheduled.cancel(false);
            }
            t.scheduled = timer.schedule(() -> Thread.ofVirtual().start(() -> evaluate(t)), delay,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Looks now, on the calling thread (blocking), and returns the verdict. */
    Verdict evaluateNow(LiveTerminal t) {
        evaluate(t);
        synchronized (t) {
            return t.verdict;
        }
    }

    private void evaluate(LiveTerminal t) {
        boolean quiet;
        synchronized (t) {
            if (t.evaluating) {
                t.rerun = true;
                return;
            }
            t.evaluating = true;
            quiet = t.lastSignal == null
                    || Duration.between(t.lastSignal, Instant.now()).compareTo(settings.settle()) >= 0;
            t.pendingSince = null;
        }
        try {
            Snapshot snapshot = snapshot(t);
            if (snapshot != null) {
                judge(t, snapshot, quiet);
            }
        } catch (RuntimeException e) {
            LOG.warnf("status check of terminal %s failed: %s", t.ref, e.getMessage());
        } finally {
            boolean again;
            synchronized (t) {
                t.evaluating = false;
                t.lastEvaluated = Instant.now();
                again = t.rerun || !quiet;
                t.rerun = false;
            }
            if (again && terminals.containsKey(t.ref)) {
                schedule(t);
            }
        }
    }

    Snapshot snapshot(LiveTerminal t) {
        try {
            PaneInfo info = tmux.info(t.pane);
            List<String> screen = tmux.screen(t.pane);
            return new Snapshot(screen, info, Instant.now());
        } catch (TmuxException e) {
            // the pane or its session is gone: that is an exit, not a transient failure
            return new Snapshot(List.of(), PaneInfo.gone(t.pane.paneId()), Instant.now());
        }
    }

    private void judge(LiveTerminal t, Snapshot snapshot, boolean quiet) {
        Verdict previous;
        Verdict next;
        boolean becameReady = false;
        boolean newAnswer = false;
        boolean passing = false;
        synchronized (t) {
            previous = t.verdict;
            next = StatusEngine.evaluate(t.rules, snapshot, t.turn);
            t.lastSnapshot = snapshot;
            boolean settledState = next.status() == AgentStatus.IDLE || next.status() == AgentStatus.COMPLETED;
            if (settledState && !quiet) {
                passing = true; // a prompt while output still flows may be a redraw in passing: look again later
            } else {
                if (next.status() == AgentStatus.PROCESSING && next.rule().contains(".busy") && t.turn.armed()) {
                    t.turn = t.turn.busySeen();
                }
                newAnswer = next.status() == AgentStatus.COMPLETED && t.turn.armed();
                if (newAnswer) {
                    t.turn = t.turn.busySeen();
                }
                t.verdict = next;
                if (t.lifecycle == Lifecycle.STARTING) {
                    becameReady = startup(t, snapshot, next);
                }
            }
        }
        sink.looked(t, snapshot, passing ? previous.status() : next.status());
        if (passing) {
            return;
        }
        if (becameReady) {
            sink.ready(t);
        }
        sink.verdict(t, previous, next, snapshot, newAnswer);
    }

    /** Answers start-up dialogs and tells when the CLI is ready. Called holding the terminal's monitor. */
    private boolean startup(LiveTerminal t, Snapshot snapshot, Verdict verdict) {
        for (var dialog : t.rules.startupDialogs) {
            boolean shown = snapshot.screen().stream().anyMatch(l -> dialog.match().matcher(l).find());
            if (shown && Duration.between(t.lastDialogAnswer, Instant.now()).toMillis() > 1000) {
                t.lastDialogAnswer = Instant.now();
                Thread.ofVirtual().start(() -> tmux.sendKeys(t.pane, dialog.keys()));
                return false;
            }
        }
        boolean ready = verdict.status() == AgentStatus.IDLE
                && snapshot.screen().stream().anyMatch(l -> t.rules.ready.stream().anyMatch(p -> p.matcher(l).find()));
        if (ready) {
            t.lifecycle = Lifecycle.RUNNING;
        }
        return ready;
    }

    private void safetyNet() {
        Instant stale = Instant.now().minus(settings.recheck());
        for (LiveTerminal t : terminals.values()) {
            synchronized (t) {
                if (t.evaluating || t.scheduled != null && !t.scheduled.isDone() || t.lastEvaluated.isAfter(stale)) {
                    continue;
                }
            }
            schedule(t);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
