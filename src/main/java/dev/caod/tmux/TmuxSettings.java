package dev.caod.tmux;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How caod reaches its own tmux server ({@code caod.tmux.*}); docs/configuration.md documents each key. */
@ConfigMapping(prefix = "caod.tmux")
public interface TmuxSettings {

    /**
     * The tmux socket name ({@code tmux -L <name>}) of the shared server, and the prefix of the per-session servers'
     * ({@code <name>-<session>}): caod never touches the user's default server.
     */
    @WithDefault("caod")
    String socketName();

    /**
     * {@code per-session}: every caod session gets a tmux server of its own, so one tmux crash ends one team, not all
     * of them; {@code shared}: one server for every session (one process, the layout of caod before 2026-12).
     */
    @WithDefault("per-session")
    Servers servers();

    enum Servers {
        PER_SESSION,
        SHARED
    }

    /** The tmux binary, found on PATH unless absolute. */
    @WithDefault("tmux")
    String binary();

    /** Size of every agent window; the status rules and recorded screens assume a wide screen. */
    @WithDefault("220")
    int width();

    @WithDefault("50")
    int height();

    /**
     * Pin each agent window's size (window-size manual) so a person attaching does not resize an agent's screen.
     * Off by default: under session churn tmux 3.3a segfaults with pinned windows (bench/flows.sh). Off, a window
     * has the default size until a person attaches, then follows the latest client.
     */
    @WithDefault("false")
    boolean pinWindowSize();

    /** Scrollback kept per pane, in lines: long answers are read back from it. */
    @WithDefault("50000")
    int historyLimit();

    /**
     * Where the tmux server runs: {@code auto} puts it in its own systemd scope when a systemd user manager answers,
     * so stopping caod.service leaves agents running; {@code systemd} always does; {@code none} never does.
     */
    @WithDefault("auto")
    ServerPlacement.Mode serverScope();
}
