package dev.caod.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns raw tty bytes into {@link Key}s. It keeps its state between calls, so a UTF-8 character, an escape sequence
 * or a bracketed paste may arrive split over any number of reads. Escape sequences other than the paste brackets
 * (arrows, function keys) are swallowed. A lone ESC cannot be told from the start of a sequence by bytes alone: the
 * reader calls {@link #flushEscape} when no further byte follows quickly.
 */
public final class KeyDecoder {

    private enum State { NORMAL, ESC, CSI, SS3, PASTE }

    private static final byte[] PASTE_END = "\u001b[201~".getBytes(StandardCharsets.US_ASCII);

    private State state = State.NORMAL;
    private final StringBuilder csi = new StringBuilder();
    private final ByteArrayOutputStream paste = new ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();
    private final byte[] utf8 = new byte[4];
    private int utf8Have;
    private int utf8Need;
    private int pasteMatch;

    /** Decodes {@code len} bytes, handing every complete key to {@code sink}. */
    public void feed(byte[] bytes, int off, int len, Consumer<Key> sink) {
        for (int i = off; i < off + len; i++) {
            feed(bytes[i] & 0xff, sink);
        }
        flushText(sink);
    }

    /** True when the last byte seen was a lone ESC, which is either the Esc key or the start of a sequence. */
    public boolean pendingEscape() {
        return state == State.ESC;
    }

    /** No byte followed the ESC quickly: it was the Esc key. */
    public void flushEscape(Consumer<Key> sink) {
        if (state == State.ESC) {
            state = State.NORMAL;
            sink.accept(Key.ESC);
        }
    }

    private void feed(int b, Consumer<Key> sink) {
        switch (state) {
            case PASTE -> {
                paste.write(b);
                pasteMatch = b == (PASTE_END[pasteMatch] & 0xff) ? pasteMatch + 1 : b == 0x1b ? 1 : 0;
                if (pasteMatch == PASTE_END.length) {
                    pasteMatch = 0;
                    byte[] all = paste.toByteArray();
                    String body = new String(all, 0, all.length - PASTE_END.length, StandardCharsets.UTF_8);
                    paste.reset();
                    state = State.NORMAL;
                    sink.accept(Key.paste(body.replace("\r\n", "\n").replace('\r', '\n')));
                }
            }
            case ESC -> {
                if (b == '[') {
                    csi.setLength(0);
                    state = State.CSI;
                } else if (b == 'O') {
                    state = State.SS3;
                } else if (b == 0x1b) {
                    sink.accept(Key.ESC); // ESC ESC: the first was the key, the second may start a sequence
                } else {
                    state = State.NORMAL; // Alt+key: report Esc, then the key itself
                    sink.accept(Key.ESC);
                    feed(b, sink);
                }
            }
            case CSI -> {
                if (b >= 0x40 && b <= 0x7e) {
                    state = State.NORMAL;
                    if (b == '~' && csi.toString().equals("200")) {
                        paste.reset();
                        pasteMatch = 0;
                        state = State.PASTE;
                    }
                } else if (csi.length() < 32) {
                    csi.append((char) b);
                } else {
                    state = State.NORMAL; // runaway sequence: give up on it
                }
            }
            case SS3 -> state = State.NORMAL;
            case NORMAL -> normal(b, sink);
        }
    }

    private void normal(int b, Consumer<Key> sink) {
        if (utf8Need > 0) {
            if ((b & 0xc0) == 0x80) {
                utf8[utf8Have++] = (byte) b;
                if (utf8Have == utf8Need) {
                    text.append(new String(utf8, 0, utf8Have, StandardCharsets.UTF_8));
                    utf8Need = 0;
                    utf8Have = 0;
                }
                return;
            }
            text.append('\uFFFD'); // a broken sequence; decode this byte afresh
            utf8Need = 0;
            utf8Have = 0;
        }
        if (b >= 0x80) {
            int need = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
            if (need == 0 || b >= 0xf8) {
                text.append('\uFFFD');
            } else {
                utf8[0] = (byte) b;
                utf8Have = 1;
                utf8Need = need;
            }
            return;
        }
        if (b >= 0x20 && b != 0x7f) {
            text.append((char) b);
            return;
        }
        if (b == '\t') {
            text.append("  ");
            return;
        }
        flushText(sink);
        switch (b) {
            case 0x1b -> state = State.ESC;
            case '\r', '\n' -> sink.accept(Key.ENTER);
            case 0x7f, 0x08 -> sink.accept(Key.BACKSPACE);
            case 0x03 -> sink.accept(Key.CTRL_C);
            case 0x04 -> sink.accept(Key.CTRL_D);
            default -> {
                // other control keys do nothing
            }
        }
    }

    private void flushText(Consumer<Key> sink) {
        if (!text.isEmpty()) {
            sink.accept(Key.text(text.toString()));
            text.setLength(0);
        }
    }
}
