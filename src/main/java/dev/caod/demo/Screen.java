package dev.caod.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * A scrolling chat transcript (no alternate screen) with one "live" area at the bottom: the prompt with the typed
 * text, the spinner or {@code Starting…}. Printed lines go above the live area, which is erased and redrawn in
 * place. Every update is one write, so a screen capture never sees it half drawn. Lines end in {@code \r\n} (raw
 * mode).
 */
public final class Screen {

    private static final String ESC = "\u001b";

    private final OutputStream out;
    private final IntSupplier columns;
    private List<String> live = List.of();
    private int liveRows;
    private String title;

    public Screen(OutputStream out, IntSupplier columns) {
        this.out = out;
        this.columns = columns;
    }

    /** Sets the pane title (OSC 2) unless it already has this value. */
    public void title(String newTitle) {
        update(newTitle, List.of(), null);
    }

    /** Prints lines above the live area, which stays as it is. */
    public void print(List<String> lines) {
        update(null, lines, null);
    }

    public void print(String line) {
        print(List.of(line));
    }

    /** Replaces the live area. */
    public void live(List<String> lines) {
        update(null, List.of(), lines);
    }

    /**
     * One atomic update: a new title (null: keep), lines printed for good, and a new live area (null: keep the
     * current one).
     */
    public synchronized void update(String newTitle, List<String> printed, List<String> newLive) {
        StringBuilder sb = new StringBuilder();
        if (newTitle != null && !newTitle.equals(title)) {
            title = newTitle;
            sb.append(ESC).append("]2;").append(newTitle.replaceAll("\\p{Cntrl}", " ")).append('\u0007');
        }
        List<String> target = newLive == null ? live : List.copyOf(newLive);
        if (!printed.isEmpty() || !target.equals(live)) {
            eraseLive(sb);
            for (String line : printed) {
                sb.append(line).append("\r\n");
            }
            drawLive(sb, target);
        }
        if (!sb.isEmpty()) {
            write(sb.toString());
        }
    }

    private void eraseLive(StringBuilder sb) {
        if (liveRows == 0) {
            return;
        }
        sb.append('\r');
        if (liveRows > 1) {
            sb.append(ESC).append('[').append(liveRows - 1).append('A').append(ESC).append("[J");
        } else {
            sb.append(ESC).append("[2K");
        }
        liveRows = 0;
    }

    private void drawLive(StringBuilder sb, List<String> lines) {
        int cols = Math.max(1, columns.getAsInt());
        int rows = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                sb.append("\r\n");
            }
            String line = lines.get(i);
            sb.append(line);
            rows += Math.max(1, (Renderer.width(line) + cols - 1) / cols);
        }
        live = List.copyOf(lines);
        liveRows = rows;
    }

    private void write(String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
