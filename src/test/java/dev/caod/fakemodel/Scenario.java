package dev.caod.fakemodel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A scripted conversation for {@link FakeModelServer}: an ordered list of rules, first match wins, each matched
 * (regex {@code find}) against the LAST user text of the conversation. A rule is a list of steps: step {@code n}
 * answers the request that carries {@code n} tool results after that user text. So
 * {@code when("use the tool").callTool("echo_marker", args).thenReply("DONE {tool_result}")} first calls the tool,
 * then, once the tool result comes back, answers with a text where {@code {tool_result}} is replaced by the result.
 *
 * <pre>{@code
 * Scenario s = Scenario.builder()
 *     .when("(?i)say hello").reply("HELLO-42")
 *     .when("use the tool").callTool("echo_marker", Map.of("text", "X")).thenReply("DONE {tool_result}")
 *         .delay(Duration.ofSeconds(3))                  // applies to the step defined last (here: the follow-up)
 *     .when("long").reply(Scenario.numberedLines("LINE-", 150)).slowStream(10, Duration.ofMillis(100))
 *     .defaultReply("FAKE-DEFAULT")
 *     .build();
 * }</pre>
 *
 * Tools are matched by name suffix (Claude names MCP tools {@code mcp__<server>__<tool>}, Codex sends a namespace
 * {@code mcp__<server>} with the plain tool name). When a tool step's tool is not offered in the request (e.g. a
 * side request without tools), the next text step of the rule is used instead.
 */
public final class Scenario {

    /** Placeholder replaced with the text of the latest tool result. */
    public static final String TOOL_RESULT = "{tool_result}";

    /** What the model does at one step. */
    public record Step(String text, String toolSuffix, Map<String, Object> toolArgs, Duration delay,
                       int linesPerChunk, Duration chunkPause) {
        public boolean isToolCall() {
            return toolSuffix != null;
        }

        Step withDelay(Duration d) {
            return new Step(text, toolSuffix, toolArgs, d, linesPerChunk, chunkPause);
        }

        Step withChunks(int lines, Duration pause) {
            return new Step(text, toolSuffix, toolArgs, delay, lines, pause);
        }

        static Step text(String text) {
            return new Step(text, null, null, Duration.ZERO, 0, Duration.ZERO);
        }

        static Step tool(String suffix, Map<String, Object> args) {
            return new Step(null, suffix, args, Duration.ZERO, 0, Duration.ZERO);
        }
    }

    /** One rule: a regex on the last user text and its steps. */
    public record Rule(Pattern pattern, List<Step> steps) {
        public boolean matches(String userText) {
            return pattern.matcher(userText == null ? "" : userText).find();
        }
    }

    private final List<Rule> rules;
    private final Step defaultStep;
    private final String structuredTitle;

    private Scenario(List<Rule> rules, Step defaultStep, String structuredTitle) {
        this.rules = List.copyOf(rules);
        this.defaultStep = defaultStep;
        this.structuredTitle = structuredTitle;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A scenario that answers everything with {@code FAKE-DEFAULT}. */
    public static Scenario defaults() {
        return builder().build();
    }

    public List<Rule> rules() {
        return rules;
    }

    public Step defaultStep() {
        return defaultStep;
    }

    /** The value used for string fields of structured-output (json_schema) side requests, e.g. titles. */
    public String structuredTitle() {
        return structuredTitle;
    }

    /** {@code count} self-identifying lines {@code <prefix>001 …} (zero-padded to 3 digits), joined by newlines. */
    public static String numberedLines(String prefix, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            if (i > 1) sb.append('\n');
            sb.append(prefix).append(String.format("%03d", i)).append(" fake long answer line ").append(i)
                    .append(" of ").append(count);
        }
        return sb.toString();
    }

    /** The decision for one (non structured-output) model request. */
    public sealed interface Decision permits Reply, CallTool {
        Duration delay();

        int linesPerChunk();

        Duration chunkPause();
    }

    public record Reply(String text, Duration delay, int linesPerChunk, Duration chunkPause) implements Decision {
    }

    /** Call the offered tool {@code tool} (as found in the request) with {@code args}. */
    public record CallTool(FakeModelServer.ToolRef tool, Map<String, Object> args, Duration delay, int linesPerChunk,
                           Duration chunkPause) implements Decision {
    }

    /**
     * Decides what to answer.
     *
     * @param lastUserText         last user text of the conversation (already stripped of injected reminders)
     * @param toolResultsSinceUser how many tool results follow that text
     * @param lastToolResult       text of the latest tool result, or null
     * @param offeredTools         the tools offered in the request
     */
    public Decision decide(String lastUserText, int toolResultsSinceUser, String lastToolResult,
                           List<FakeModelServer.ToolRef> offeredTools) {
        List<Step> steps = List.of(defaultStep);
        java.util.regex.Matcher matched = null;
        for (Rule r : rules) {
            if (r.matches(lastUserText)) {
                steps = r.steps();
                matched = r.pattern().matcher(lastUserText);
                matched.find();
                break;
            }
        }
        int idx = Math.min(toolResultsSinceUser, steps.size() - 1);
        String result = lastToolResult == null ? "" : lastToolResult;
        for (int i = idx; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.isToolCall()) {
                FakeModelServer.ToolRef t = findTool(offeredTools, s.toolSuffix());
                if (t != null && i == idx) {
                    return new CallTool(t, withGroups(s.toolArgs(), matched), s.delay(), s.linesPerChunk(),
                            s.chunkPause());
                }
                continue; // tool not offered: fall through to the next text step
            }
            return new Reply(s.text().replace(TOOL_RESULT, result), s.delay(), s.linesPerChunk(), s.chunkPause());
        }
        Step last = steps.get(steps.size() - 1);
        String text = last.isToolCall() ? "FAKE-NO-TOOL " + last.toolSuffix() + " " + result : last.text();
        return new Reply(text.replace(TOOL_RESULT, result), last.delay(), last.linesPerChunk(), last.chunkPause());
    }

    /** String arguments may name the rule's regex groups as {@code {1}}, {@code {2}} …: filled from the user text. */
    private static Map<String, Object> withGroups(Map<String, Object> args, java.util.regex.Matcher m) {
        if (m == null || args == null) {
            return args;
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        args.forEach((k, v) -> {
            Object value = v;
            if (v instanceof String text) {
                for (int g = 1; g <= m.groupCount(); g++) {
                    text = text.replace("{" + g + "}", m.group(g) == null ? "" : m.group(g));
                }
                value = text;
            }
            out.put(k, value);
        });
        return out;
    }

    static FakeModelServer.ToolRef findTool(List<FakeModelServer.ToolRef> tools, String suffix) {
        if (tools == null) return null;
        for (FakeModelServer.ToolRef t : tools) {
            if (t.name().equals(suffix)) return t;
        }
        for (FakeModelServer.ToolRef t : tools) {
            if (t.fullName().endsWith(suffix)) return t;
        }
        return null;
    }

    /** Fluent builder; {@code delay}/{@code slowStream} apply to the step defined last. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private Pattern currentPattern;
        private List<Step> currentSteps;
        private Step defaultStep = Step.text("FAKE-DEFAULT");
        private boolean lastIsDefault;
        private String structuredTitle = "Fake task";

        private Builder() {
        }

        /** Starts a new rule matching {@code regex} (find, not full match) against the last user text. */
        public Builder when(String regex) {
            flush();
            currentPattern = Pattern.compile(regex, Pattern.DOTALL);
            currentSteps = new ArrayList<>();
            lastIsDefault = false;
            return this;
        }

        /** Answer with {@code text} ({@code {tool_result}} is replaced by the latest tool result). */
        public Builder reply(String text) {
            requireRule();
            currentSteps.add(Step.text(Objects.requireNonNull(text)));
            return this;
        }

        /** Same as {@link #reply}; reads better after {@link #callTool}. */
        public Builder thenReply(String text) {
            return reply(text);
        }

        /** Call the offered tool whose name ends with {@code toolSuffix}, with {@code args} as JSON input. */
        public Builder callTool(String toolSuffix, Map<String, ?> args) {
            requireRule();
            currentSteps.add(Step.tool(Objects.requireNonNull(toolSuffix), new LinkedHashMap<>(args)));
            return this;
        }

        /** Same as {@link #callTool}; for a second tool round. */
        public Builder thenCallTool(String toolSuffix, Map<String, ?> args) {
            return callTool(toolSuffix, args);
        }

        /** Waits {@code d} before answering the step defined last (the stream is opened first). */
        public Builder delay(Duration d) {
            replaceLast(s -> s.withDelay(d));
            return this;
        }

        /** Streams the last step's text {@code linesPerChunk} lines at a time, pausing {@code pause} in between. */
        public Builder slowStream(int linesPerChunk, Duration pause) {
            if (linesPerChunk < 1) throw new IllegalArgumentException("linesPerChunk < 1");
            replaceLast(s -> s.withChunks(linesPerChunk, pause));
            return this;
        }

        /** The answer when no rule matches (default {@code FAKE-DEFAULT}); delay/slowStream may follow. */
        public Builder defaultReply(String text) {
            flush();
            defaultStep = Step.text(Objects.requireNonNull(text));
            lastIsDefault = true;
            return this;
        }

        /** String value used for json_schema (structured output, e.g. title) requests; default {@code Fake task}. */
        public Builder structuredTitle(String title) {
            structuredTitle = Objects.requireNonNull(title);
            return this;
        }

        public Scenario build() {
            flush();
            return new Scenario(rules, defaultStep, structuredTitle);
        }

        private void replaceLast(java.util.function.UnaryOperator<Step> f) {
            if (lastIsDefault) {
                defaultStep = f.apply(defaultStep);
                return;
            }
            requireRule();
            if (currentSteps.isEmpty()) throw new IllegalStateException("no step to modify: reply/callTool first");
            int i = currentSteps.size() - 1;
            currentSteps.set(i, f.apply(currentSteps.get(i)));
        }

        private void requireRule() {
            if (currentPattern == null) throw new IllegalStateException("call when(regex) first");
        }

        private void flush() {
            if (currentPattern == null) return;
            if (currentSteps.isEmpty()) throw new IllegalStateException("rule " + currentPattern + " has no step");
            if (currentSteps.get(currentSteps.size() - 1).isToolCall()) {
                currentSteps.add(Step.text(TOOL_RESULT)); // implicit follow-up: echo the tool result
            }
            rules.add(new Rule(currentPattern, List.copyOf(currentSteps)));
            currentPattern = null;
            currentSteps = null;
        }
    }
}
