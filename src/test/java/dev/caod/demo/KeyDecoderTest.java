package dev.caod.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Raw tty bytes to keys: UTF-8 split over reads, bracketed paste, control keys, swallowed escape sequences. */
class KeyDecoderTest {

    private final KeyDecoder decoder = new KeyDecoder();
    private final List<Key> keys = new ArrayList<>();

    private void feed(byte[] bytes) {
        decoder.feed(bytes, 0, bytes.length, keys::add);
    }

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Joins consecutive text keys, as the input buffer would. */
    private String typed() {
        StringBuilder sb = new StringBuilder();
        keys.stream().filter(k -> k.kind() == Key.Kind.TEXT).forEach(k -> sb.append(k.text()));
        return sb.toString();
    }

    @Test
    void multiByteCharactersSplitAcrossReadsSurvive() {
        byte[] bytes = "ünïcødé ✓ 日本 😀".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            feed(new byte[] { b }); // the worst case: one byte per read
        }
        assertEquals("ünïcødé ✓ 日本 😀", typed());
    }

    @Test
    void controlKeys() {
        feed("ab\r\u007f\u0003\u0004\b");
        assertEquals(List.of(Key.text("ab"), Key.ENTER, Key.BACKSPACE, Key.CTRL_C, Key.CTRL_D, Key.BACKSPACE),
                keys);
    }

    @Test
    void bracketedPasteKeepsNewlinesAndNeverSubmits() {
        feed("x\u001b[200~line 1\rline \"2\" $(echo hi)\r\nünï");
        feed(new byte[] { (byte) 0xe6 }); // half of 日, then the rest and the end bracket in another read
        feed(new byte[] { (byte) 0x97, (byte) 0xa5 });
        feed("\u001b[20");
        feed("1~\r");
        assertEquals(List.of(Key.text("x"), Key.paste("line 1\nline \"2\" $(echo hi)\nünï日"), Key.ENTER), keys);
    }

    @Test
    void escapeSequencesAreSwallowedAndLoneEscNeedsAFlush() {
        feed("\u001b[A\u001bOPa\u001b[3~");
        assertEquals(List.of(Key.text("a")), keys);
        feed("\u001b");
        assertTrue(decoder.pendingEscape());
        assertEquals(1, keys.size());
        decoder.flushEscape(keys::add);
        assertEquals(Key.ESC, keys.get(1));
        feed("\u001b");
        feed("[B"); // the rest of an arrow key arrived in the next read: no Esc
        assertEquals(2, keys.size());
    }

    @Test
    void escInsidePasteIsText() {
        feed("\u001b[200~a\u001bb\u001b[201~");
        assertEquals(List.of(Key.paste("a\u001bb")), keys);
    }
}
