package dev.caod.tmux;

/**
 * What tmux knows about a pane besides its screen: the title the CLI set (often the only busy signal), the
 * foreground command (a shell there means the CLI exited), whether the pane's process is dead and how it ended.
 */
public record PaneInfo(String paneId, String title, String currentCommand, boolean dead, int deadStatus, long pid) {

    /** The dead status caod gives a pane that no longer exists (closed by hand, or its tmux server stopped). */
    public static final int GONE = -1;

    /** A pane tmux no longer knows. */
    public static PaneInfo gone(String paneId) {
        return new PaneInfo(paneId, "", "", true, GONE, 0);
    }

    public boolean isGone() {
        return dead && deadStatus == GONE;
    }

    static final String FORMAT = "#{pane_id}|#{pane_dead}|#{pane_dead_status}|#{pane_pid}|#{pane_current_command}|#{pane_title}";

    static PaneInfo parse(String line) {
        String[] f = line.split("\\|", 6);
        if (f.length < 6) {
            throw new TmuxException("unexpected pane description from tmux: " + line);
        }
        return new PaneInfo(f[0], f[5], f[4], "1".equals(f[1]), f[2].isEmpty() ? 0 : Integer.parseInt(f[2]),
                f[3].isEmpty() ? 0 : Long.parseLong(f[3]));
    }
}
