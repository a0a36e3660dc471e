package dev.caod.tmux;

/** Where a terminal lives in tmux: its session name, window id ({@code @4}) and pane id ({@code %7}). */
public record PaneRef(String session, String windowId, String paneId) {
}
