package dev.caod.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo agent on a real tty: a JVM running {@code caod demo-agent} in a 220x50 tmux window, driven with
 * send-keys and bracketed paste, observed with capture-pane and the pane title, as caod itself sees it.
 */
class DemoAgentTmuxTest {

    private static final String NAME = "bob";
    private TmuxPane pane;
    private StubMcpServer mcp;
    private Path argFile;

    @BeforeAll
    static void needsTmux() {
        Assumptions.assumeTrue(TmuxPane.available(), "tmux is not installed");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pane != null) {
            pane.close();
        }
        if (mcp != null) {
            mcp.close();
        }
        if (argFile != null) {
            Files.deleteIfExists(argFile);
        }
    }

    private void start(boolean withMcp) throws Exception {
        List<String> args = new ArrayList<>(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.caod.CaodMain", "demo-agent", "--script", ScriptLoaderTest.resource("agent.yaml").toString(),
                "--name", NAME));
        if (withMcp) {
            mcp = new StubMcpServer();
            args.addAll(List.of("--mcp-url", mcp.url().toString(), "--mcp-token", StubMcpServer.TOKEN));
        }
        // the classpath is too long for a tmux command line: hand it to java in an argument file
        argFile = Files.createTempFile("demo-agent", ".args");
        Files.writeString(argFile, String.join("\n", args.stream()
                .map(a -> '"' + a.replace("\\", "\\\\").replace("\"", "\\\"") + '"').toList()) + "\n");
        pane = TmuxPane.start(220, 50, Map.of("CAOD_CALLER_ID", "caller-7", "CAOD_MCP_URL", "", "CAOD_MCP_TOKEN", ""),
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile));
        String screen = waitIdle("the first prompt", s -> true);
        assertTrue(screen.startsWith("demo-agent bob · script agent.yaml\n"), screen);
    }

    /** Lines of the screen without the trailing blank ones. */
    static List<String> lines(String screen) {
        List<String> lines = new ArrayList<>(screen.lines().toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    static String lastLine(String screen) {
        List<String> lines = lines(screen);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** Idle: the last line is the empty prompt (tmux trims its trailing space) and the title says so. */
    private String waitIdle(String what, java.util.function.Predicate<String> also) throws Exception {
        return pane.waitFor(what + " (idle)", s -> {
            try {
                return lastLine(s).equals("❯") && also.test(s) && pane.title().equals("✳ " + NAME);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void pasteKeepsTheExactTextAndEnterSubmitsIt() throws Exception {
        start(false);
        String text = "He said \"hi\" & 'bye' `uname`\n$(echo hi) \\n ünïcødé ✓ 日本\n  indented last line";
        pane.paste(text);
        String echoed = pane.waitFor("the pasted text after the prompt",
                s -> s.contains("❯ He said \"hi\" & 'bye' `uname`\n  $(echo hi) \\n ünïcødé ✓ 日本\n"
                        + "    indented last line"));
        assertFalse(echoed.contains("●"), "a paste must not submit:\n" + echoed);
        assertEquals("✳ " + NAME, pane.title());

        pane.sendKeys("Enter");
        String screen = waitIdle("the echo answer", s -> s.contains("✻ Worked for"));
        List<String> lines = lines(screen);
        int answer = lines.indexOf("● DEMO-ECHO: He said \"hi\" & 'bye' `uname`");
        assertTrue(answer > 0, screen);
        assertEquals(List.of("● DEMO-ECHO: He said \"hi\" & 'bye' `uname`", "  $(echo hi) \\n ünïcødé ✓ 日本",
                "    indented last line", ""), lines.subList(answer, answer + 4));
        assertTrue(lines.get(answer + 4).matches("✻ Worked for \\d+s"), screen);
        assertEquals(List.of("❯ He said \"hi\" & 'bye' `uname`", "  $(echo hi) \\n ünïcødé ✓ 日本",
                "    indented last line"), lines.subList(answer - 3, answer), "the transcript of the input");
    }

    @Test
    void typingEditingAndInterrupt() throws Exception {
        start(false);
        pane.type("slow dowm");
        pane.sendKeys("BSpace");
        pane.type("n");
        pane.waitFor("the typed text", s -> lastLine(s).equals("❯ slow down"));
        pane.sendKeys("Enter");
        pane.waitFor("the spinner", s -> lastLine(s).matches("[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Thinking… \\(\\d+s · esc to interrupt\\)"));
        assertTrue(pane.title().matches("[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] " + NAME), pane.title());
        pane.sendKeys("Escape");
        String screen = waitIdle("the interrupted turn", s -> s.contains("⎿ Interrupted"));
        assertFalse(screen.contains("never shown"), screen);
    }

    @Test
    void permissionDialogThenToolCallsOverMcp() throws Exception {
        start(true);
        pane.type("ask ünï ✓");
        pane.sendKeys("Enter");
        String dialog = pane.waitFor("the permission dialog",
                s -> lastLine(s).equals("Do you want to proceed? (1/2, enter = yes, esc = no)"));
        assertTrue(dialog.contains("╭─ Permission ─"), dialog);
        assertTrue(dialog.contains("│ Allow tool echo_marker({\"text\":\"ünï ✓\"})?"), dialog);
        assertTrue(dialog.contains("│ ❯ 1. Yes"), dialog);
        assertTrue(dialog.contains("│   2. No"), dialog);
        assertEquals("✋ " + NAME, pane.title());
        assertTrue(mcp.calls.isEmpty(), "no call before the answer");

        pane.sendKeys("Enter");
        String screen = waitIdle("the tool answer", s -> s.contains("● ASKED: MARKER:ünï ✓"));
        assertFalse(screen.contains("Do you want to proceed?"), "the dialog is gone:\n" + screen);
        assertTrue(screen.contains("⎿ Permission for echo_marker: allowed\n● Calling echo_marker…\n⎿ MARKER:ünï ✓\n"),
                screen);
        assertEquals(1, mcp.calls.size());

        pane.type("call world");
        pane.sendKeys("Enter");
        screen = waitIdle("the second tool answer", s -> s.contains("● CALLED: MARKER:world\n  done\n"));
        assertEquals(2, mcp.calls.size());
        assertEquals("caller-7", mcp.calls.get(1).path("arguments").path("caller").asText(), "${env.…} expanded");
        assertEquals(List.of("initialize", "notifications/initialized", "tools/call", "tools/call"), mcp.methods);
        assertEquals(List.of(), mcp.problems);

        pane.type("ask no thanks");
        pane.sendKeys("Enter");
        pane.waitFor("the second dialog", s -> lastLine(s).startsWith("Do you want to proceed?"));
        pane.sendKeys("2");
        screen = waitIdle("the denied answer", s -> s.contains("● ASKED: Denied by user"));
        assertTrue(screen.contains("⎿ Permission for echo_marker: denied\n● Calling echo_marker…\n⎿ Denied by user\n"),
                screen);
        assertEquals(2, mcp.calls.size(), "a denied tool is not called");
    }

    @Test
    void longAnswerErrorAndNoMcp() throws Exception {
        start(false);
        pane.type("long please");
        pane.sendKeys("Enter");
        waitIdle("the long answer", s -> s.contains("LINE-150"));
        List<String> history = pane.history().lines().toList();
        int first = history.indexOf("● LINE-001");
        assertTrue(first > 0, String.join("\n", history));
        for (int i = 2; i <= 150; i++) {
            assertEquals(String.format("  LINE-%03d", i), history.get(first + i - 1));
        }

        pane.type("oops");
        pane.sendKeys("Enter");
        waitIdle("the error", s -> s.contains("✗ Error: scripted failure\n"));

        pane.type("call nobody");
        pane.sendKeys("Enter");
        String screen = waitIdle("the tool error", s -> s.contains("● CALLED: Error: no MCP server configured"));
        assertTrue(screen.contains("● Calling echo_marker…\n⎿ Error: no MCP server configured\n"), screen);
    }

    @Test
    void exitStepEndsTheProcessWithItsCode() throws Exception {
        start(false);
        pane.type("crash");
        pane.sendKeys("Enter");
        assertEquals("3", waitForExitStatus());
    }

    @Test
    void ctrlDOnAnEmptyLineExitsZero() throws Exception {
        start(false);
        pane.sendKeys("C-d");
        assertEquals("0", waitForExitStatus());
    }

    /** Waits for the agent's process to end; its exit status. */
    private String waitForExitStatus() throws Exception {
        String screen = pane.waitFor("the process to end", s -> s.contains("[exited "));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[exited (\\d+)]").matcher(screen);
        assertTrue(m.find(), screen);
        return m.group(1);
    }
}
