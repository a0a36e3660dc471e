package dev.caod.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fills the {@code {placeholder}}s of a manifest's {@code launch:} section. {@code {name}} inserts the value as it
 * is (argv items, environment values); {@code {json:name}} inserts it as a JSON literal, for config files. Only
 * lower-case identifiers in braces are placeholders, so the braces of JSON text are left alone.
 */
public final class LaunchTemplate {

    /** The names a manifest may use, and what they hold. */
    public static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("terminal_id", "caod's id of the terminal"),
            Map.entry("profile", "the profile's name"),
            Map.entry("working_directory", "the folder the CLI runs in"),
            Map.entry("terminal_dir", "the terminal's private folder (files: are written there; removed at close)"),
            Map.entry("model", "the profile's model (empty when none)"),
            Map.entry("system_prompt", "the profile's role prompt (empty when none)"),
            Map.entry("system_prompt_file", "a file holding the role prompt (written only when there is one)"),
            Map.entry("mcp_url", "caod's MCP endpoint, streamable HTTP"),
            Map.entry("mcp_token", "the terminal's own MCP bearer token"),
            Map.entry("mcp_authorization", "`Bearer <mcp_token>`, the Authorization header value"),
            Map.entry("mcp_bridge", "the stdio command running `caod mcp` (only as {json:mcp_bridge}: a JSON array)"));

    /** Placeholders whose value is already JSON: usable only in the {json:…} form. */
    private static final Set<String> JSON_ONLY = Set.of("mcp_bridge");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(json:)?([a-z_]+)\\}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LaunchTemplate() {
    }

    /** Rejects a launch section that cannot work, naming the field and the fix. */
    static void check(String source, ProviderRules.LaunchSpec spec) {
        if (spec.command() == null || spec.command().isEmpty() || spec.command().getFirst().isBlank()) {
            throw new IllegalArgumentException(source + ": field `launch.command` needs the CLI's binary as its first"
                    + " item, e.g. [my-cli, --flag]");
        }
        checkAll(source, "launch.command", spec.command());
        checkAll(source, "launch.when_model", spec.whenModel());
        checkAll(source, "launch.when_system_prompt", spec.whenSystemPrompt());
        checkAll(source, "launch.when_auto_approve", spec.whenAutoApprove());
        checkAll(source, "launch.when_asking", spec.whenAsking());
        if (spec.env() != null) {
            spec.env().forEach((k, v) -> checkOne(source, "launch.env." + k, v));
        }
        if (spec.files() != null) {
            spec.files().forEach((name, content) -> {
                if (!name.matches("[A-Za-z0-9._-]{1,64}") || name.startsWith(".")) {
                    throw new IllegalArgumentException(source + ": `launch.files` name `" + name + "` must be a"
                            + " plain file name (letters, digits, . _ -), written into the terminal's private folder");
                }
                checkOne(source, "launch.files." + name, content);
            });
        }
    }

    private static void checkAll(String source, String field, List<String> items) {
        if (items != null) {
            items.forEach(item -> checkOne(source, field, item));
        }
    }

    private static void checkOne(String source, String field, String text) {
        Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
        while (m.find()) {
            String name = m.group(2);
            if (!NAMES.containsKey(name)) {
                throw new IllegalArgumentException(source + ": field `" + field + "` uses unknown placeholder {"
                        + name + "}; known: " + String.join(", ", NAMES.keySet().stream().sorted().toList()));
            }
            if (m.group(1) == null && JSON_ONLY.contains(name)) {
                throw new IllegalArgumentException(source + ": field `" + field + "`: {" + name + "} is JSON; write"
                        + " {json:" + name + "} inside a JSON config file");
            }
        }
    }

    /**
     * @param values     plain values by name (absent ones render empty)
     * @param jsonValues values that are JSON already (e.g. mcp_bridge)
     */
    static String render(String template, Map<String, String> values, Map<String, String> jsonValues) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String value;
            if (jsonValues.containsKey(name)) {
                value = jsonValues.get(name);
            } else if (m.group(1) != null) {
                value = jsonString(values.getOrDefault(name, ""));
            } else {
                value = values.getOrDefault(name, "");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    static List<String> renderAll(List<String> templates, Map<String, String> values, Map<String, String> jsonValues) {
        List<String> out = new ArrayList<>();
        if (templates != null) {
            templates.forEach(t -> out.add(render(t, values, jsonValues)));
        }
        return out;
    }

    static String jsonString(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
