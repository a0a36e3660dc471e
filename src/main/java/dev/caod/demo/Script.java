package dev.caod.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A loaded, validated demo-agent script: what the scripted CLI does for each submitted prompt. {@link ScriptLoader}
 * builds it from YAML; {@link #match} picks the steps and the placeholder values for one input. With
 * {@code swallow_enters: N} the agent ignores the first N Enter presses of a typed input, as a CLI that loses an
 * Enter while it still starts up: it lets tests check that caod presses Enter again.
 */
@RegisterForReflection
public record Script(String name, Duration startupDelay, int swallowEnters, List<Rule> rules, List<Step> defaultSteps) {

    /** The steps used when a script has no {@code default:} section. */
    public static final List<Step> BUILT_IN_DEFAULT = List.of(new Step.Think(Duration.ofMillis(300)),
            new Step.Reply("DEMO-ECHO: ${input}"));

    public Script {
        rules = List.copyOf(rules);
        defaultSteps = List.copyOf(defaultSteps);
    }

    /** One {@code rules:} entry: the first rule whose regex finds a match in the input wins. */
    @RegisterForReflection
    public record Rule(Pattern when, List<Step> steps) {
        public Rule {
            steps = List.copyOf(steps);
        }
    }

    /** The steps chosen for an input and the variables its placeholders can use. */
    public record Match(Optional<Rule> rule, List<Step> steps, Map<String, String> vars) {
    }

    /** Picks the first matching rule (or the default steps) and collects {@code input}, named and numbered groups. */
    public Match match(String input) {
        for (Rule rule : rules) {
            Matcher m = rule.when().matcher(input);
            if (m.find()) {
                return new Match(Optional.of(rule), rule.steps(), Placeholders.varsOf(input, m));
            }
        }
        return new Match(Optional.empty(), defaultSteps, Placeholders.varsOf(input, null));
    }

    /** One script step. Text fields hold placeholders, expanded when the step runs. */
    @RegisterForReflection
    public sealed interface Step {

        /** Show the busy spinner for this long. */
        @RegisterForReflection
        record Think(Duration duration) implements Step {
        }

        /** Show the permission dialog; the answer decides whether the next tool step runs. */
        @RegisterForReflection
        record Permission(String tool, JsonNode args) implements Step {
        }

        /**
         * Call an MCP tool; its text result becomes {@code ${tool.result}}, and with {@code remember: x} also
         * {@code ${memory.x}} in every later turn (a supervisor combining a worker's answer with a later report).
         */
        @RegisterForReflection
        record Tool(String name, JsonNode args, String remember) implements Step {
        }

        /** Print the answer (first line {@code ● }, the rest indented) and go back to idle. */
        @RegisterForReflection
        record Reply(String text) implements Step {
        }

        /** Reply with {@code count} generated lines {@code <prefix>001 …}. */
        @RegisterForReflection
        record ReplyLines(int count, String prefix) implements Step {
        }

        /** Print {@code ✗ Error: <text>} and go back to idle, skipping the remaining steps. */
        @RegisterForReflection
        record Error(String text) implements Step {
        }

        /** End the process with this exit code (a crash back to the shell). */
        @RegisterForReflection
        record Exit(int code) implements Step {
        }
    }
}
