package dev.caod.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.caod.provider.ProviderRules;
import dev.caod.tmux.PaneInfo;

/**
 * The built-in provider rules against screens recorded from the real CLIs (src/test/resources/screens, see its
 * README for versions and how to re-record): every recorded state must get the status it was recorded as.
 */
class RecordedScreensTest {

    private static final java.nio.file.Path SCREENS = java.nio.file.Path.of("src/test/resources/screens");

    record Recording(String provider, String state, String title, String command, AgentStatus expect,
            List<String> screen, Map<String, String> header) {
        @Override
        public String toString() {
            return provider + "/" + state;
        }
    }

    /** Every {@code screens/<provider>/*.screen}: adding a provider's recordings adds its cases. */
    static Stream<Arguments> recordings() throws IOException {
        return files(".screen").map(f -> Arguments.of(loadFile(f)));
    }

    /** Every long-answer scrollback that holds the whole answer (not marked {@code whole-answer: no}). */
    static Stream<Arguments> longAnswers() throws IOException {
        return files(".scrollback").filter(f -> f.getFileName().toString().startsWith("long_answer"))
                .map(RecordedScreensTest::loadFile).filter(r -> !r.header().getOrDefault("whole-answer", "yes")
                        .startsWith("no")).map(Arguments::of);
    }

    private static Stream<java.nio.file.Path> files(String suffix) throws IOException {
        try (Stream<java.nio.file.Path> all = java.nio.file.Files.walk(SCREENS, 2)) {
            return all.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordings")
    void recordedStateGetsItsStatus(Recording r) throws IOException {
        // a recording is taken after a task was submitted, except the fresh idle screens
        Turn turn = r.state().startsWith("idle") || r.state().equals("typing") ? Turn.NONE
                : new Turn("task", 0, r.expect() != AgentStatus.PROCESSING);
        boolean exited = r.state().startsWith("exited");
        PaneInfo pane = new PaneInfo("%1", r.title(), r.command(), false, 0, 1);
        Verdict v = StatusEngine.evaluate(rules(r.provider()), new Snapshot(r.screen(), pane, Instant.now()), turn);
        assertEquals(r.expect(), v.status(), () -> r + " decided by " + v.rule() + " " + v.matches() + "\n"
                + String.join("\n", r.screen()));
        if (exited) {
            assertTrue(v.rule().startsWith("shell-foreground"), v.rule());
        }
    }

    @org.junit.jupiter.api.Test
    void aLongAnswerFinishedBeforeTheCliWasSeenBusyIsCompleted() throws IOException {
        // the turn never saw "esc to interrupt": the answer streamed in between two looks, pushing the echo away
        Recording r = loadFile(SCREENS.resolve("claude_code/long_answer.screen"));
        Turn armed = new Turn("long answer please", 0, false);
        Verdict v = StatusEngine.evaluate(rules("claude_code"), new Snapshot(r.screen(), new PaneInfo("%1", r.title(),
                r.command(), false, 0, 1), Instant.now()), armed);
        assertEquals(AgentStatus.COMPLETED, v.status(), v.rule());
        assertTrue(v.rule().contains("turn-end"), v.rule());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longAnswers")
    void aLongAnswerIsExtractedWholeFromTheScrollback(Recording r) throws IOException {
        List<String> answer = AnswerExtractor.lastAnswer(rules(r.provider()), r.screen(), "long answer please").lines()
                .toList();
        assertEquals(150, answer.size(), () -> String.join("\n", answer));
        assertEquals("LINE-001 fake long answer line 1 of 150", answer.getFirst());
        assertEquals("LINE-150 fake long answer line 150 of 150", answer.getLast());
    }

    /** The recorded turns' exact answers (screens/README.md), keyed by state, with the input that asked for them. */
    private static final Map<String, List<String>> ANSWERS = Map.of(
            "done", List.of("slow hello please", "FAKE-SLOW-HELLO done"),
            "done_inline", List.of("slow hello please", "FAKE-SLOW-HELLO done"),
            "done_after_tool", List.of("slow tool please", "FAKE-DONE after slow tool: echo_marker wrote: SLOW-MARKER"),
            "done_after_tool_inline", List.of("slow tool please",
                    "FAKE-DONE after slow tool: echo_marker wrote: SLOW-MARKER"),
            "done_after_permission", List.of("use the tool please", "FAKE-DONE marker echo_marker wrote: MARKER-1"));

    /** Every recorded (not synthetic) finished turn whose screen shows the whole answer. */
    static Stream<Arguments> finishedTurns() throws IOException {
        return files(".screen").map(RecordedScreensTest::loadFile).filter(r -> ANSWERS.containsKey(r.state()))
                .filter(r -> !r.header().getOrDefault("cli", "").startsWith("synthetic")).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finishedTurns")
    void theAnswerIsExtractedExactly(Recording r) throws IOException {
        List<String> asked = ANSWERS.get(r.state());
        assertEquals(asked.get(1), AnswerExtractor.lastAnswer(rules(r.provider()), r.screen(), asked.get(0)),
                () -> String.join("\n", r.screen()));
    }

    static ProviderRules.Compiled rules(String provider) throws IOException {
        try (InputStream in = RecordedScreensTest.class.getClassLoader()
                .getResourceAsStream("providers/" + provider + ".yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, ProviderRules.class).compile(provider);
        }
    }

    static Recording loadFile(java.nio.file.Path file) {
        String provider = file.getParent().getFileName().toString();
        String name = file.getFileName().toString();
        try {
            List<String> lines = java.nio.file.Files.readString(file, StandardCharsets.UTF_8).lines().toList();
            Map<String, String> header = new HashMap<>();
            int i = 0;
            for (; i < lines.size() && !lines.get(i).equals("# ---"); i++) {
                String h = lines.get(i).substring(2);
                header.put(h.substring(0, h.indexOf(':')), h.substring(h.indexOf(':') + 1).strip());
            }
            return new Recording(provider, name.substring(0, name.indexOf('.')), header.getOrDefault("title", ""),
                    header.getOrDefault("command", ""), AgentStatus.valueOf(header.get("expect").toUpperCase()),
                    lines.subList(i + 1, lines.size()), header);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
