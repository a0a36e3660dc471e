package dev.caod.demo;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.caod.demo.Script.Rule;
import dev.caod.demo.Script.Step;

/**
 * Reads and validates a demo-agent YAML script. The YAML is read as a tree and checked by hand, so every problem is
 * reported with its place in the script ({@code rules[1].steps[0]: …}) and no reflection is needed.
 */
public final class ScriptLoader {

    static final Set<String> TOP_KEYS = Set.of("name", "startup_delay", "swallow_enters", "rules", "default");
    static final Set<String> RULE_KEYS = Set.of("when", "steps");
    static final List<String> STEP_KINDS = List.of("think", "permission", "tool", "reply", "reply_lines", "error",
            "exit");

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)");
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final Path file;

    private ScriptLoader(Path file) {
        this.file = file;
    }

    public static Script load(Path file) throws ScriptException {
        ScriptLoader loader = new ScriptLoader(file);
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw loader.fail("is a directory, not a script file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw loader.fail("file not found");
        } catch (AccessDeniedException e) {
            throw loader.fail("permission denied");
        } catch (IOException e) {
            throw loader.fail("cannot read: " + e.getMessage());
        }
        return loader.parse(bytes);
    }

    /** Parses script text; {@code file} only names the script in error messages. */
    public static Script parse(Path file, String yaml) throws ScriptException {
        return new ScriptLoader(file).parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Script parse(byte[] bytes) throws ScriptException {
        JsonNode root;
        try {
            root = YAML.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw fail("invalid YAML" + where + ": " + e.getOriginalMessage().strip());
        } catch (IOException e) {
            throw fail("cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fail("the script is empty");
        }
        if (!root.isObject()) {
            throw fail("expected a mapping with rules: and/or default: at the top level");
        }
        checkKeys(root, TOP_KEYS, "the top level");
        String name = root.has("name") ? text(root.get("name"), "name") : null;
        if (name != null && name.isBlank()) {
            throw fail("name: must not be blank");
        }
        Duration delay = root.has("startup_delay") ? duration(root.get("startup_delay"), "startup_delay")
                : Duration.ZERO;
        int swallow = 0;
        if (root.has("swallow_enters")) {
            JsonNode n = root.get("swallow_enters");
            if (!n.canConvertToInt() || n.asInt() < 0) {
                throw fail("swallow_enters: expected a whole number >= 0");
            }
            swallow = n.asInt();
        }
        List<Rule> rules = new ArrayList<>();
        JsonNode rulesNode = root.get("rules");
        if (rulesNode != null && !rulesNode.isNull()) {
            if (!rulesNode.isArray()) {
                throw fail("rules: expected a list of rules");
            }
            for (int i = 0; i < rulesNode.size(); i++) {
                rules.add(rule(rulesNode.get(i), "rules[" + i + "]"));
            }
        }
        JsonNode defaultNode = root.get("default");
        List<Step> defaults = defaultNode == null || defaultNode.isNull() ? Script.BUILT_IN_DEFAULT
                : steps(defaultNode, "default");
        return new Script(name, delay, swallow, rules, defaults);
    }

    private Rule rule(JsonNode node, String at) throws ScriptException {
        if (!node.isObject()) {
            throw fail(at + ": expected a mapping with when: and steps:");
        }
        checkKeys(node, RULE_KEYS, at);
        if (!node.has("when")) {
            throw fail(at + ": missing when: (a regex)");
        }
        String regex = text(node.get("when"), at + ".when");
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw fail(at + ".when: bad regex " + quote(regex) + ": " + e.getDescription() + " near index "
                    + e.getIndex());
        }
        if (!node.has("steps")) {
            throw fail(at + ": missing steps:");
        }
        return new Rule(pattern, steps(node.get("steps"), at + ".steps"));
    }

    private List<Step> steps(JsonNode node, String at) throws ScriptException {
        if (!node.isArray() || node.isEmpty()) {
            throw fail(at + ": expected a non-empty list of steps");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            steps.add(step(node.get(i), at + "[" + i + "]"));
        }
        return steps;
    }

    private Step step(JsonNode node, String at) throws ScriptException {
        if (!node.isObject() || node.size() != 1) {
            throw fail(at + ": a step is a mapping with exactly one of " + String.join(", ", STEP_KINDS));
        }
        String kind = node.fieldNames().next();
        JsonNode value = node.get(kind);
        String where = at + "." + kind;
        return switch (kind) {
            case "think" -> new Step.Think(duration(value, where));
            case "permission" -> {
                checkKeys(value, Set.of("tool", "args"), where);
                yield new Step.Permission(required(value, "tool", where), args(value, where));
            }
            case "tool" -> {
                checkKeys(value, Set.of("name", "args", "remember"), where);
                String remember = value.has("remember") ? text(value.get("remember"), where + ".remember") : null;
                if (remember != null && !remember.matches("[A-Za-z0-9_]+")) {
                    throw fail(where + ".remember: expected a name of letters, digits and _");
                }
                yield new Step.Tool(required(value, "name", where), args(value, where), remember);
            }
            case "reply" -> new Step.Reply(text(value, where));
            case "reply_lines" -> {
                checkKeys(value, Set.of("count", "prefix"), where);
                JsonNode count = value.get("count");
                if (count == null || !count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1
                        || count.asInt() > 100_000) {
                    throw fail(where + ".count: expected a whole number from 1 to 100000");
                }
                String prefix = value.has("prefix") ? text(value.get("prefix"), where + ".prefix") : "LINE-";
                yield new Step.ReplyLines(count.asInt(), prefix);
            }
            case "error" -> new Step.Error(text(value, where));
            case "exit" -> {
                if (!value.isIntegralNumber() || value.asInt() < 0 || value.asInt() > 255) {
                    throw fail(where + ": expected an exit code from 0 to 255");
                }
                yield new Step.Exit(value.asInt());
            }
            default -> throw fail(at + ": unknown step " + quote(kind) + " (expected one of "
                    + String.join(", ", STEP_KINDS) + ")");
        };
    }

    private JsonNode args(JsonNode value, String at) throws ScriptException {
        JsonNode args = value.get("args");
        if (args == null || args.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!args.isObject()) {
            throw fail(at + ".args: expected a mapping of argument names to values");
        }
        return args;
    }

    private String required(JsonNode value, String key, String at) throws ScriptException {
        JsonNode node = value.get(key);
        if (node == null || node.isNull()) {
            throw fail(at + ": missing " + key + ":");
        }
        String text = text(node, at + "." + key);
        if (text.isBlank()) {
            throw fail(at + "." + key + ": must not be blank");
        }
        return text;
    }

    private void checkKeys(JsonNode node, Set<String> allowed, String at) throws ScriptException {
        if (!node.isObject()) {
            throw fail(at + ": expected a mapping with " + sorted(allowed));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw fail((at.equals("the top level") ? "" : at + ": ") + "unknown key " + quote(key)
                        + (at.equals("the top level") ? " at the top level" : "") + " (expected " + sorted(allowed)
                        + ")");
            }
        }
    }

    private String text(JsonNode node, String at) throws ScriptException {
        if (node == null || !node.isValueNode() || node.isNull()) {
            throw fail(at + ": expected text");
        }
        return node.asText();
    }

    /** {@code 300ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or a bare number of milliseconds. */
    Duration duration(JsonNode node, String at) throws ScriptException {
        if (node != null && node.isIntegralNumber() && node.asLong() >= 0) {
            return Duration.ofMillis(node.asLong());
        }
        if (node != null && node.isTextual()) {
            Duration d = parseDuration(node.asText());
            if (d != null) {
                return d;
            }
        }
        throw fail(at + ": expected a duration like 300ms, 2s or 1m, got "
                + (node == null ? "nothing" : quote(node.asText())));
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", new java.util.TreeSet<>(keys));
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    private ScriptException fail(String problem) {
        return new ScriptException(file, problem);
    }
}
