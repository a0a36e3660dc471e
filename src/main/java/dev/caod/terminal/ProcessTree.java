package dev.caod.terminal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends a pane's whole process tree. The tree is collected first, while every parent is alive, so that children
 * that re-executed themselves or called setsid (Gemini CLI does; it survives {@code tmux kill-server}) are still
 * found; then all get SIGTERM, and whoever is left after a grace period gets SIGKILL.
 */
final class ProcessTree {

    private ProcessTree() {
    }

    /** @return how many processes had to be killed forcibly */
    static int end(long rootPid, Duration grace) {
        if (rootPid <= 0) {
            return 0;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        ProcessHandle.of(rootPid).ifPresent(root -> {
            tree.add(root);
            root.descendants().forEach(tree::add);
        });
        tree.reversed().forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        int forced = 0;
        for (ProcessHandle p : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                // still alive after the grace period
            }
            if (p.isAlive()) {
                p.destroyForcibly();
                forced++;
            }
        }
        return forced;
    }
}
