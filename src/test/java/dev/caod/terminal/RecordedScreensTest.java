package dev.caod.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
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

    private static final List<String> STATES = List.of("idle", "idle_default_mode", "typing", "busy", "busy_2",
            "busy_3", "busy_after_tool", "permission", "done", "done_after_tool", "done_after_permission",
            "long_answer", "exited");

    record Recording(String provider, String state, String title, String command, AgentStatus expect,
            List<String> screen) {
        @Override
        public String toString() {
            return provider + "/" + state;
        }
    }

    static Stream<Arguments> recordings() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (String provider : List.of("claude_code", "codex")) {
            for (String state : STATES) {
                Recording r = load(provider, state);
                if (r != null) {
                    all.add(Arguments.of(r));
                }
            }
        }
        return all.stream();
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

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = { "claude_code/long_answer", "codex/long_answer_inline" })
    void aLongAnswerIsExtractedWholeFromTheScrollback(String recording) throws IOException {
        String provider = recording.substring(0, recording.indexOf('/'));
        Recording r = loadFile(provider, recording.substring(recording.indexOf('/') + 1) + ".scrollback");
        List<String> answer = AnswerExtractor.lastAnswer(rules(provider), r.screen(), "long answer please").lines()
                .toList();
        assertEquals(150, answer.size(), () -> String.join("\n", answer));
        assertEquals("LINE-001 fake long answer line 1 of 150", answer.getFirst());
        assertEquals("LINE-150 fake long answer line 150 of 150", answer.getLast());
    }

    static ProviderRules.Compiled rules(String provider) throws IOException {
        try (InputStream in = RecordedScreensTest.class.getClassLoader()
                .getResourceAsStream("providers/" + provider + ".yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, ProviderRules.class).compile(provider);
        }
    }

    static Recording load(String provider, String state) throws IOException {
        return loadFile(provider, state + ".screen");
    }

    static Recording loadFile(String provider, String file) throws IOException {
        String state = file.substring(0, file.indexOf('.'));
        try (InputStream in = RecordedScreensTest.class.getClassLoader()
                .getResourceAsStream("screens/" + provider + "/" + file)) {
            if (in == null) {
                return null;
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            Map<String, String> header = new HashMap<>();
            int i = 0;
            for (; i < lines.size() && !lines.get(i).equals("# ---"); i++) {
                String h = lines.get(i).substring(2);
                header.put(h.substring(0, h.indexOf(':')), h.substring(h.indexOf(':') + 1).strip());
            }
            return new Recording(provider, state, header.getOrDefault("title", ""), header.getOrDefault("command", ""),
                    AgentStatus.valueOf(header.get("expect").toUpperCase()), lines.subList(i + 1, lines.size()));
        }
    }
}
