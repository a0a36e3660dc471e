package dev.caod.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * {@code ${…}} placeholders in replies and tool arguments: {@code ${input}}, named groups {@code ${target}},
 * numbered groups {@code ${1}}, {@code ${env.VAR}} and {@code ${tool.result}}. An unknown name stays as written, so a
 * typo shows up on screen; a group that did not take part in the match and an unset variable become empty. A tool
 * argument that is exactly one placeholder whose value is a whole number is sent as a JSON number.
 */
public final class Placeholders {

    /** The variable holding the text of the last tool result. */
    public static final String TOOL_RESULT = "tool.result";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

    private Placeholders() {
    }

    /** {@code input}, every numbered group and every named group of {@code m} (which may be null: no rule matched). */
    public static Map<String, String> varsOf(String input, Matcher m) {
        Map<String, String> vars = new HashMap<>();
        vars.put("input", input);
        if (m != null) {
            for (int i = 0; i <= m.groupCount(); i++) {
                vars.put(Integer.toString(i), nullToEmpty(m.group(i)));
            }
            for (String name : m.pattern().namedGroups().keySet()) {
                vars.put(name, nullToEmpty(m.group(name)));
            }
        }
        return vars;
    }

    public static String expand(String text, Map<String, String> vars) {
        return expand(text, vars, System::getenv);
    }

    public static String expand(String text, Map<String, String> vars, Function<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String key = m.group(1);
            String value;
            if (key.startsWith("env.")) {
                value = nullToEmpty(env.apply(key.substring(4)));
            } else if (vars.containsKey(key)) {
                value = vars.get(key);
            } else {
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A copy of {@code node} with every string value expanded (keys are left alone). */
    public static JsonNode expand(JsonNode node, Map<String, String> vars, Function<String, String> env) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return node;
        }
        if (node.isTextual()) {
            String expanded = expand(node.asText(), vars, env);
            // a value that is one placeholder standing for a whole number is sent as a number (timeout_seconds)
            if (PLACEHOLDER.matcher(node.asText()).matches() && expanded.matches("-?\\d{1,9}")) {
                return com.fasterxml.jackson.databind.node.IntNode.valueOf(Integer.parseInt(expanded));
            }
            return TextNode.valueOf(expanded);
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), expand(e.getValue(), vars, env)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(e -> copy.add(expand(e, vars, env)));
            return copy;
        }
        return node;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
