package dev.caod.terminal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Live views of terminals' screens: each watcher gets a frame whenever the monitor's look at the pane shows something
 * new, and is told when the terminal exits. Frames are handed over on the monitor's virtual thread: a watcher must
 * not block (it queues or forwards).
 */
public final class ScreenWatchers {

    /** One look at a screen as a watcher sees it. */
    public record Frame(String terminalId, String text, AgentStatus status, Lifecycle lifecycle, Instant at) {
    }

    /** What a watcher is given. */
    public interface Watcher {
        void frame(Frame frame);

        void ended();
    }

    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastShown = new ConcurrentHashMap<>();

    AutoCloseable watch(String ref, Watcher watcher) {
        watchers.computeIfAbsent(ref, r -> new CopyOnWriteArraySet<>()).add(watcher);
        return () -> watchers.computeIfPresent(ref, (r, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    /** A new look at the pane: passed on when its content differs from the last one passed on. */
    void looked(LiveTerminal t, Snapshot snapshot, AgentStatus status) {
        Set<Watcher> set = watchers.get(t.ref);
        if (set == null || set.isEmpty()) {
            lastShown.remove(t.ref);
            return;
        }
        int hash = snapshot.contentHash() * 31 + status.hashCode();
        Integer before = lastShown.put(t.ref, hash);
        if (before != null && before == hash) {
            return;
        }
        Frame frame = new Frame(t.ref, text(snapshot.screen()), status, t.lifecycle, snapshot.at());
        set.forEach(w -> w.frame(frame));
    }

    void ended(String ref) {
        lastShown.remove(ref);
        Set<Watcher> set = watchers.remove(ref);
        if (set != null) {
            set.forEach(Watcher::ended);
        }
    }

    static String text(List<String> rows) {
        int end = rows.size();
        while (end > 0 && rows.get(end - 1).isBlank()) {
            end--;
        }
        return String.join("\n", rows.subList(0, end).stream().map(String::stripTrailing).toList());
    }
}
