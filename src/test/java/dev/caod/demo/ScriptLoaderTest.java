package dev.caod.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.caod.demo.Script.Step;

/** Loading and validating demo-agent scripts, and choosing a rule for an input. */
class ScriptLoaderTest {

    static Path resource(String name) {
        try {
            return Path.of(ScriptLoaderTest.class.getResource("/demo/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Path FILE = Path.of("inline.yaml");

    private static Script parse(String yaml) throws ScriptException {
        return ScriptLoader.parse(FILE, yaml);
    }

    private static String problem(String yaml) {
        ScriptException e = assertThrows(ScriptException.class, () -> parse(yaml));
        assertTrue(e.getMessage().startsWith("script inline.yaml: "), e.getMessage());
        return e.problem();
    }

    @Test
    void loadsTheDocumentedExample() throws Exception {
        Script script = ScriptLoader.load(resource("doc-example.yaml"));
        assertEquals("reviewer", script.name());
        assertEquals(Duration.ofMillis(500), script.startupDelay());
        assertEquals(2, script.rules().size());
        List<Step> review = script.rules().get(0).steps();
        assertEquals(new Step.Think(Duration.ofMillis(1500)), review.get(0));
        Step.Permission permission = assertInstanceOf(Step.Permission.class, review.get(1));
        assertEquals("echo_marker", permission.tool());
        assertEquals("{\"text\":\"x\"}", permission.args().toString());
        Step.Tool tool = assertInstanceOf(Step.Tool.class, review.get(2));
        assertEquals("send_message", tool.name());
        assertEquals("reviewed ${target}", tool.args().get("message").asText());
        Step.Reply reply = assertInstanceOf(Step.Reply.class, review.get(3));
        assertTrue(reply.text().startsWith("Review of ${target}: looks good.\nTool said: ${tool.result}"));
        assertEquals(List.of(new Step.Think(Duration.ofMillis(200)), new Step.Exit(3)),
                script.rules().get(1).steps());
        assertEquals(List.of(new Step.Think(Duration.ofMillis(300)), new Step.Reply("DEMO-ECHO: ${input}")),
                script.defaultSteps());
    }

    @Test
    void theTestAgentScriptLoads() throws Exception {
        Script script = ScriptLoader.load(resource("agent.yaml"));
        assertEquals("tester", script.name());
        assertTrue(script.rules().size() >= 5);
    }

    @Test
    void everyStepKind() throws Exception {
        Script script = parse("""
                default:
                  - think: 2s
                  - think: 1.5s
                  - think: 250
                  - permission: {tool: t}
                  - tool: {name: n, args: {a: 1, b: [x, "${input}"]}}
                  - reply: hi
                  - reply_lines: {count: 3}
                  - reply_lines: {count: 2, prefix: "R"}
                  - error: bad
                  - exit: 0
                """);
        assertNull(script.name());
        assertEquals(Duration.ZERO, script.startupDelay());
        List<Step> s = script.defaultSteps();
        assertEquals(new Step.Think(Duration.ofSeconds(2)), s.get(0));
        assertEquals(new Step.Think(Duration.ofMillis(1500)), s.get(1));
        assertEquals(new Step.Think(Duration.ofMillis(250)), s.get(2));
        assertEquals("{}", ((Step.Permission) s.get(3)).args().toString());
        assertEquals("{\"a\":1,\"b\":[\"x\",\"${input}\"]}", ((Step.Tool) s.get(4)).args().toString());
        assertEquals(new Step.Reply("hi"), s.get(5));
        assertEquals(new Step.ReplyLines(3, "LINE-"), s.get(6));
        assertEquals(new Step.ReplyLines(2, "R"), s.get(7));
        assertEquals(new Step.Error("bad"), s.get(8));
        assertEquals(new Step.Exit(0), s.get(9));
    }

    @Test
    void withoutDefaultTheBuiltInEchoIsUsed() throws Exception {
        Script script = parse("rules: [{when: x, steps: [{reply: y}]}]");
        assertEquals(Script.BUILT_IN_DEFAULT, script.defaultSteps());
    }

    @Test
    void firstMatchingRuleWinsWithItsGroups() throws Exception {
        Script script = parse("""
                rules:
                  - when: "(?i)review (?<target>\\\\S+)( now)?"
                    steps: [{reply: first}]
                  - when: "review"
                    steps: [{reply: second}]
                default: [{reply: fallback}]
                """);
        Script.Match m = script.match("please REVIEW Foo.java");
        assertEquals(List.of(new Step.Reply("first")), m.steps());
        assertEquals("Foo.java", m.vars().get("target"));
        assertEquals("Foo.java", m.vars().get("1"));
        assertEquals("", m.vars().get("2"));
        assertEquals("REVIEW Foo.java", m.vars().get("0"));
        assertEquals("please REVIEW Foo.java", m.vars().get("input"));

        assertEquals(List.of(new Step.Reply("fallback")), script.match("nothing here").steps());
        assertEquals(Map.of("input", "nothing here"), script.match("nothing here").vars());
        assertEquals(List.of(new Step.Reply("first")), script.match("review it").steps(), "find, not matches");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        ScriptException e = assertThrows(ScriptException.class, () -> ScriptLoader.load(missing));
        assertEquals("script " + missing + ": file not found", e.getMessage());
    }

    @Test
    void directoryIsNoScript(@TempDir Path dir) {
        ScriptException e = assertThrows(ScriptException.class, () -> ScriptLoader.load(dir));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void unknownStepInAFile() {
        Path file = resource("unknown-step.yaml");
        ScriptException e = assertThrows(ScriptException.class, () -> ScriptLoader.load(file));
        assertEquals("script " + file + ": rules[0].steps[1]: unknown step 'dance' (expected one of think, "
                + "permission, tool, reply, reply_lines, error, exit)", e.getMessage());
    }

    @Test
    void badYamlNamesTheLine() {
        String p = problem("rules:\n  - when: x\n    steps: [{think: 1s}\n");
        assertTrue(p.startsWith("invalid YAML (line "), p);
    }

    @Test
    void duplicateKeysAreRejected() {
        assertTrue(problem("name: a\nname: b\n").startsWith("invalid YAML"));
    }

    @Test
    void badRegex() {
        assertEquals("rules[0].when: bad regex '(unclosed': Unclosed group near index 9",
                problem("rules: [{when: \"(unclosed\", steps: [{reply: x}]}]"));
    }

    @Test
    void structuralErrors() {
        assertEquals("the script is empty", problem(""));
        assertEquals("expected a mapping with rules: and/or default: at the top level", problem("- a\n- b\n"));
        assertEquals("unknown key 'rule' at the top level (expected default, name, rules, startup_delay, swallow_enters)",
                problem("rule: []"));
        assertEquals("rules: expected a list of rules", problem("rules: {when: x}"));
        assertEquals("rules[0]: missing when: (a regex)", problem("rules: [{steps: [{reply: x}]}]"));
        assertEquals("rules[0]: missing steps:", problem("rules: [{when: x}]"));
        assertEquals("rules[0].steps: expected a non-empty list of steps", problem("rules: [{when: x, steps: []}]"));
        assertEquals("default: expected a non-empty list of steps", problem("default: hello"));
        assertEquals("default[0]: a step is a mapping with exactly one of think, permission, tool, reply, "
                + "reply_lines, error, exit", problem("default: [{think: 1s, reply: x}]"));
        assertEquals("name: must not be blank", problem("name: ' '\ndefault: [{reply: x}]"));
    }

    @Test
    void stepValueErrors() {
        assertEquals("startup_delay: expected a duration like 300ms, 2s or 1m, got 'soon'",
                problem("startup_delay: soon"));
        assertEquals("default[0].think: expected a duration like 300ms, 2s or 1m, got '-5'",
                problem("default: [{think: -5}]"));
        assertEquals("default[0].exit: expected an exit code from 0 to 255", problem("default: [{exit: 300}]"));
        assertEquals("default[0].exit: expected an exit code from 0 to 255", problem("default: [{exit: x}]"));
        assertEquals("default[0].tool: missing name:", problem("default: [{tool: {args: {}}}]"));
        assertEquals("default[0].tool: unknown key 'arg' (expected args, name, remember)",
                problem("default: [{tool: {name: x, arg: {}}}]"));
        assertEquals("default[0].tool.remember: expected a name of letters, digits and _",
                problem("default: [{tool: {name: x, remember: 'a b'}}]"));
        assertEquals("default[0].tool.args: expected a mapping of argument names to values",
                problem("default: [{tool: {name: x, args: [1]}}]"));
        assertEquals("default[0].permission: missing tool:", problem("default: [{permission: {}}]"));
        assertEquals("default[0].reply_lines.count: expected a whole number from 1 to 100000",
                problem("default: [{reply_lines: {count: 0}}]"));
        assertEquals("default[0].reply: expected text", problem("default: [{reply: {a: b}}]"));
    }

    @Test
    void swallowEntersMustBeAWholeNumber() {
        ScriptException e = org.junit.jupiter.api.Assertions.assertThrows(ScriptException.class,
                () -> ScriptLoader.parse(java.nio.file.Path.of("s.yaml"), "swallow_enters: many\n"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("swallow_enters"), e.getMessage());
    }
}
