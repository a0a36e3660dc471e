package dev.caod.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The screen markers caod's demo status rules rely on. */
class RendererTest {

    @Test
    void promptAndAnswer() {
        assertEquals(List.of("❯ "), Renderer.prompt(""));
        assertEquals(List.of("❯ a", "  b"), Renderer.prompt("a\nb"));
        assertEquals(List.of("● one", "  two", "", "✻ Worked for 3s"), Renderer.answer("one\ntwo", 3));
        assertEquals("⠋ Thinking… (0s · esc to interrupt)", Renderer.spinner(0, 0));
        assertEquals("⠏ Thinking… (12s · esc to interrupt)", Renderer.spinner(19, 12));
        assertEquals("⠙ demo", Renderer.titleBusy("demo", 11));
        assertEquals("✳ demo", Renderer.titleIdle("demo"));
        assertEquals("✋ demo", Renderer.titleWaiting("demo"));
        assertEquals(List.of("✗ Error: bad"), Renderer.error("bad"));
    }

    @Test
    void longInputIsShortenedInTheLiveAreaOnly() {
        String input = String.join("\n", java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(i -> "l" + i).toList());
        assertEquals(Renderer.prompt("a\nb"), Renderer.promptLive("a\nb"));
        List<String> live = Renderer.promptLive(input);
        assertEquals(20, live.size());
        assertEquals(List.of("❯ l1", "  … +31 lines", "  l33"), live.subList(0, 3));
        assertEquals("  l50", live.get(19));
        assertEquals(50, Renderer.prompt(input).size());
    }

    @Test
    void dialogIsARectangle() {
        List<String> box = Renderer.dialog("echo_marker", "{\"text\":\"x\"}");
        assertEquals("╭─ Permission ──────────────────────────────╮", box.get(0));
        assertEquals("│ Allow tool echo_marker({\"text\":\"x\"})?     │", box.get(1));
        assertEquals("│ ❯ 1. Yes                                  │", box.get(2));
        assertEquals("│   2. No                                   │", box.get(3));
        assertEquals("╰───────────────────────────────────────────╯", box.get(4));
        assertEquals("Do you want to proceed? (1/2, enter = yes, esc = no)", box.get(5));
        List<String> wide = Renderer.dialog("t", "{\"text\":\"" + "日".repeat(30) + "\"}");
        for (int i = 0; i < 5; i++) {
            assertEquals(Renderer.width(wide.get(0)), Renderer.width(wide.get(i)), wide.get(i));
        }
    }

    @Test
    void resultIsTheFirstLineAtMost200Characters() {
        assertEquals("⎿ first", Renderer.result("first\nsecond"));
        String r = Renderer.result("x".repeat(500));
        assertEquals("⎿ " + "x".repeat(200) + "…", r);
    }

    @Test
    void numberedLinesAndCleaning() {
        assertEquals("L-001\nL-002\nL-003", Renderer.numberedLines(3, "L-"));
        assertTrue(Renderer.numberedLines(1000, "").endsWith("\n1000"));
        assertEquals("a^[[31mb    c", Renderer.clean("a\u001b[31mb\tc"));
        assertEquals(4, Renderer.width("日本"));
        assertEquals(1, Renderer.width("e\u0301"));
    }
}
