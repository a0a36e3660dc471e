package dev.caod.terminal;

import java.time.Instant;
import java.util.List;

import dev.caod.tmux.PaneInfo;

/** One look at a pane: the visible screen rows, its title and foreground process, and when it was taken. */
public record Snapshot(List<String> screen, PaneInfo pane, Instant at) {

    /** Identity of the screen's content, to tell "something changed" from "same frame". */
    public int contentHash() {
        return screen.hashCode() * 31 + pane.title().hashCode();
    }
}
