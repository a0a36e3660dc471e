package dev.caod.terminal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends a pane's whole process tree. The tree is collected first, while every parent is alive, so that children
 * that re-executed themselves or called setsid (Gemini CLI does; it survives {@code tmux kill-server}) are still
 * found; then all get SIGTERM, and whoever is left after a grace period gets SIGKILL.
 */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Running, as opposed to gone or a zombie: a CLI that exited stays a zombie until tmux reaps it (tmux 3.3a may
     * not do so before its window is killed), and a zombie cannot be signalled, only waited for by its parent.
     */
    static boolean alive(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()),
                    "stat"));
            // the state follows the command name, which is in parentheses and may itself contain ") "
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return afterName.charAt(0) != 'Z';
        } catch (java.io.IOException e) {
            return false; // its /proc entry is gone: so is the process
        } catch (RuntimeException e) {
            return p.isAlive(); // an unexpected stat line: trust the JDK
        }
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
        while (tree.stream().anyMatch(ProcessTree::alive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // exits of processes that are not our children are only seen by looking
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int forced = 0;
        for (ProcessHandle p : tree) {
            if (alive(p)) {
                p.destroyForcibly();
                forced++;
            }
        }
        return forced;
    }
}
