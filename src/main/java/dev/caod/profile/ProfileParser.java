package dev.caod.profile;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a profile file: YAML front matter between {@code ---} lines, then the markdown role prompt. Works on the YAML
 * node tree (not on bound objects) so that every problem can name its line; collects all problems instead of stopping
 * at the first, so a user fixes a file in one go.
 */
public final class ProfileParser {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,47}");
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,48}");
    private static final Set<String> FIELDS = Set.of("name", "description", "role", "provider", "model",
            "mcpServers", "allowedTools");

    /** The outcome: the profile when there is no error, and every problem found. */
    public record Parsed(Profile profile, List<Problem> problems) {
        public boolean ok() {
            return profile != null;
        }
    }

    private final String file;
    private final Set<String> providers;
    private final List<Problem> problems = new ArrayList<>();
    private int firstLine;

    private ProfileParser(String file, Set<String> providers) {
        this.file = file;
        this.providers = providers;
    }

    /**
     * @param text         the whole file
     * @param file         the name to report problems against
     * @param expectedName the name the file must declare (its file name in a profiles folder), or null
     * @param providers    the known provider names (for {@code provider:} and provider-specific sections)
     */
    public static Parsed parse(String text, String file, String expectedName, Set<String> providers, String source) {
        return new ProfileParser(file, providers).run(text.replace("\r\n", "\n"), expectedName, source);
    }

    private Parsed run(String text, String expectedName, String source) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.getFirst().strip().equals("---")) {
            error(1, "", "a profile starts with a line `---`, then YAML fields (name, description, provider …), then"
                    + " a closing `---`, then the role prompt");
            return new Parsed(null, problems);
        }
        int close = -1;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("---")) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            error(1, "", "the front matter is not closed: add a line `---` after the fields");
            return new Parsed(null, problems);
        }
        firstLine = 2;
        String yaml = String.join("\n", lines.subList(1, close));
        String body = String.join("\n", lines.subList(close + 1, lines.size())).strip();
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + firstLine;
            error(line, "", "not valid YAML: " + e.getProblem());
            return new Parsed(null, problems);
        } catch (YAMLException e) {
            error(0, "", "not valid YAML: " + e.getMessage());
            return new Parsed(null, problems);
        }
        if (!(root instanceof MappingNode map)) {
            error(firstLine, "", "the front matter must be YAML fields (`name: …`), not "
                    + (root == null ? "empty" : "a " + root.getNodeId()));
            return new Parsed(null, problems);
        }
        String name = null;
        String description = "";
        String role = "worker";
        String provider = null;
        String model = null;
        List<String> tools = List.of();
        List<McpServerSpec> servers = List.of();
        Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), "field name");
            if (key == null) {
                continue;
            }
            Node v = t.getValueNode();
            switch (key) {
                case "name" -> name = scalar(v, "name");
                case "description" -> description = orEmpty(scalar(v, "description"));
                case "role" -> role = word(v, "role", role);
                case "provider" -> provider = provider(v);
                case "model" -> model = scalar(v, "model");
                case "allowedTools" -> tools = strings(v, "allowedTools");
                case "mcpServers" -> servers = servers(v);
                default -> {
                    if (providers.contains(key)) {
                        settings.put(key, plainMap(v, key));
                    } else {
                        warning(line(t.getKeyNode()), key, "unknown field, ignored; the fields are "
                                + String.join(", ", FIELDS.stream().sorted().toList())
                                + ", and a section per provider (" + String.join(", ", providers.stream().sorted().toList())
                                + ")");
                    }
                }
            }
        }
        if (name == null) {
            if (problems.stream().noneMatch(p -> p.field().equals("name"))) {
                error(firstLine, "name", "required: the profile's name, e.g. `name: reviewer` ([a-z0-9_-])");
            }
        } else if (!NAME.matcher(name).matches()) {
            error(lineOf(map, "name"), "name", "`" + name + "` is not a valid name: lower-case letters, digits, `_`"
                    + " and `-`, at most 48, starting with a letter or digit");
        } else if (expectedName != null && !expectedName.equals(name)) {
            error(lineOf(map, "name"), "name", "`" + name + "` differs from the file name `" + expectedName
                    + ".md`; profiles are found by file name, so rename one of them");
        }
        if (body.isEmpty()) {
            warning(close + 2, "", "the role prompt (the text after the closing `---`) is empty");
        }
        if (problems.stream().anyMatch(Problem::error)) {
            return new Parsed(null, problems);
        }
        return new Parsed(new Profile(name, description, role, Optional.ofNullable(provider), Optional.ofNullable(model),
                servers, tools, settings, body, source, file), problems);
    }

    private String provider(Node v) {
        String p = scalar(v, "provider");
        if (p != null && !providers.contains(p)) {
            error(line(v), "provider", "unknown provider `" + p + "`; known: "
                    + String.join(", ", providers.stream().sorted().toList()));
        }
        return p;
    }

    private List<McpServerSpec> servers(Node v) {
        if (!(v instanceof MappingNode map)) {
            error(line(v), "mcpServers", "expected a mapping of server name to {command, args, env} or {url, headers}");
            return List.of();
        }
        List<McpServerSpec> out = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            String name = scalar(t.getKeyNode(), "mcpServers");
            String field = "mcpServers." + name;
            if (name == null) {
                continue;
            }
            if (!SERVER_NAME.matcher(name).matches() || name.equals("caod")) {
                error(line(t.getKeyNode()), field, name.equals("caod") ? "`caod` is caod's own server, added to every"
                        + " agent; pick another name" : "server names are letters, digits, `_` and `-`");
                continue;
            }
            if (!(t.getValueNode() instanceof MappingNode spec)) {
                error(line(t.getValueNode()), field, "expected {command, args, env} (stdio) or {url, headers} (http)");
                continue;
            }
            String command = null;
            String url = null;
            List<String> args = List.of();
            Map<String, String> env = Map.of();
            Map<String, String> headers = Map.of();
            for (NodeTuple f : spec.getValue()) {
                String k = scalar(f.getKeyNode(), field);
                switch (k == null ? "" : k) {
                    case "command" -> command = scalar(f.getValueNode(), field + ".command");
                    case "args" -> args = strings(f.getValueNode(), field + ".args");
                    case "env" -> env = stringMap(f.getValueNode(), field + ".env");
                    case "url" -> url = scalar(f.getValueNode(), field + ".url");
                    case "headers" -> headers = stringMap(f.getValueNode(), field + ".headers");
                    case "type" -> {
                        // informational (stdio/http): the presence of command or url decides
                    }
                    default -> warning(line(f.getKeyNode()), field + "." + k, "unknown field, ignored; a server has"
                            + " command, args, env (stdio) or url, headers (http)");
                }
            }
            if ((command == null) == (url == null)) {
                error(line(t.getKeyNode()), field, "give either `command` (a stdio server) or `url` (an HTTP server)");
            } else if (url != null && !url.matches("https?://\\S+")) {
                error(line(t.getKeyNode()), field + ".url", "`" + url + "` is not an http(s) URL");
            } else {
                out.add(new McpServerSpec(name, command, args, env, url, headers));
            }
        }
        return out;
    }

    private String word(Node v, String field, String fallback) {
        String s = scalar(v, field);
        if (s == null) {
            return fallback;
        }
        if (!s.matches("[a-z_]{1,32}")) {
            error(line(v), field, "`" + s + "`: expected `supervisor` or `worker`");
            return fallback;
        }
        return s;
    }

    private String scalar(Node v, String field) {
        if (v instanceof ScalarNode s) {
            return s.getValue();
        }
        error(line(v), field, "expected a single value, not a " + kind(v));
        return null;
    }

    private List<String> strings(Node v, String field) {
        if (!(v instanceof SequenceNode seq)) {
            error(line(v), field, "expected a list, e.g. [Read, Grep]");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String s = scalar(item, field);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private Map<String, String> stringMap(Node v, String field) {
        if (!(v instanceof MappingNode map)) {
            error(line(v), field, "expected a mapping of NAME: value");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = scalar(t.getKeyNode(), field);
            String val = scalar(t.getValueNode(), field + "." + k);
            if (k != null && val != null) {
                out.put(k, val);
            }
        }
        return out;
    }

    private Map<String, Object> plainMap(Node v, String field) {
        if (!(v instanceof MappingNode map)) {
            error(line(v), field, "expected a mapping of settings for the " + field + " provider");
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = scalar(t.getKeyNode(), field);
            if (k != null) {
                out.put(k, plain(t.getValueNode()));
            }
        }
        return out;
    }

    private Object plain(Node v) {
        if (v instanceof ScalarNode s) {
            return s.getValue();
        }
        if (v instanceof SequenceNode seq) {
            return seq.getValue().stream().map(this::plain).toList();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) v).getValue()) {
            out.put(String.valueOf(plain(t.getKeyNode())), plain(t.getValueNode()));
        }
        return out;
    }

    private int lineOf(MappingNode map, String key) {
        return map.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key))
                .findFirst().map(t -> line(t.getKeyNode())).orElse(firstLine);
    }

    private int line(Node n) {
        return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + firstLine;
    }

    private static String kind(Node v) {
        return v instanceof SequenceNode ? "list" : v instanceof MappingNode ? "mapping" : "value";
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private void error(int line, String field, String message) {
        problems.add(new Problem(file, line, field, message, true));
    }

    private void warning(int line, String field, String message) {
        problems.add(new Problem(file, line, field, message, false));
    }
}
