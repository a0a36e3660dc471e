package dev.caod.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

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
    private final FrontMatter fm;

    private ProfileParser(String file, Set<String> providers) {
        this.file = file;
        this.providers = providers;
        this.fm = new FrontMatter(file);
    }

    /**
     * @param text         the whole file
     * @param file         the name to report problems against
     * @param expectedName the name the file must declare (its file name in a profiles folder), or null
     * @param providers    the known provider names (for {@code provider:} and provider-specific sections)
     */
    public static Parsed parse(String text, String file, String expectedName, Set<String> providers, String source) {
        return new ProfileParser(file, providers).run(text, expectedName, source);
    }

    private Parsed run(String text, String expectedName, String source) {
        MappingNode map = fm.read(text, "a profile starts with a line `---`, then YAML fields (name, description,"
                + " provider …), then a closing `---`, then the role prompt");
        if (map == null) {
            return new Parsed(null, fm.problems());
        }
        String body = fm.body();
        String name = null;
        String description = "";
        String role = "worker";
        String provider = null;
        String model = null;
        List<String> tools = List.of();
        List<McpServerSpec> servers = List.of();
        Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
        for (FrontMatter.Field f : fm.fields(map, "field name")) {
            Node v = f.value();
            switch (f.name()) {
                case "name" -> name = scalar(v, "name");
                case "description" -> description = orEmpty(scalar(v, "description"));
                case "role" -> role = word(v, "role", role);
                case "provider" -> provider = provider(v);
                case "model" -> model = scalar(v, "model");
                case "allowedTools" -> tools = fm.strings(v, "allowedTools", "[Read, Grep]");
                case "mcpServers" -> servers = servers(v);
                default -> {
                    if (providers.contains(f.name())) {
                        settings.put(f.name(), plainMap(v, f.name()));
                    } else {
                        fm.unknown(f, FIELDS, ", and a section per provider (" + FrontMatter.sorted(providers) + ")");
                    }
                }
            }
        }
        if (name == null) {
            fm.missing("name", "required: the profile's name, e.g. `name: reviewer` ([a-z0-9_-])");
        } else if (fm.name(name, fm.lineOf(map, "name"), "name")
                && expectedName != null && !expectedName.equals(name)) {
            error(fm.lineOf(map, "name"), "name", "`" + name + "` differs from the file name `" + expectedName
                    + ".md`; profiles are found by file name, so rename one of them");
        }
        if (body.isEmpty()) {
            fm.warning(fm.bodyLine(), "", "the role prompt (the text after the closing `---`) is empty");
        }
        if (fm.hasErrors()) {
            return new Parsed(null, fm.problems());
        }
        return new Parsed(new Profile(name, description, role, Optional.ofNullable(provider), Optional.ofNullable(model),
                servers, tools, settings, body, source, file), fm.problems());
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
                    case "args" -> args = fm.strings(f.getValueNode(), field + ".args", "[Read, Grep]");
                    case "env" -> env = fm.stringMap(f.getValueNode(), field + ".env");
                    case "url" -> url = scalar(f.getValueNode(), field + ".url");
                    case "headers" -> headers = fm.stringMap(f.getValueNode(), field + ".headers");
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

    private Map<String, Object> plainMap(Node v, String field) {
        if (!(v instanceof MappingNode map)) {
            error(line(v), field, "expected a mapping of settings for the " + field + " provider");
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = scalar(t.getKeyNode(), field);
            if (k != null) {
                out.put(k, FrontMatter.plain(t.getValueNode()));
            }
        }
        return out;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private String scalar(Node v, String field) {
        return fm.scalar(v, field);
    }

    private int line(Node n) {
        return fm.line(n);
    }

    private void error(int line, String field, String message) {
        fm.error(line, field, message);
    }

    private void warning(int line, String field, String message) {
        fm.warning(line, field, message);
    }
}
