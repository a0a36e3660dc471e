package dev.caod.profile;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

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
 * A markdown file with YAML front matter (profiles, flows): splits the {@code ---} block from the body, composes the
 * YAML into a node tree so that every value keeps its line, and collects the problems found on the way with the file
 * name and 1-based line. One instance reads one file; the parsers built on it add their own checks through
 * {@link #error} and {@link #warning}.
 */
public final class FrontMatter {

    /** One top-level (or nested) field: its name, the key node (for the line) and the value node. */
    public record Field(String name, Node key, Node value) {
    }

    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private int firstLine;
    private String body = "";
    private int bodyLine;

    public FrontMatter(String file) {
        this.file = file;
    }

    /** {@link #read(String, String, UnaryOperator)} without changing the YAML text. */
    public MappingNode read(String text, String layout) {
        return read(text, layout, UnaryOperator.identity());
    }

    /**
     * Splits {@code text} and composes its front matter.
     *
     * @param layout  the error shown when the file does not start with {@code ---}: how such a file is laid out
     * @param fixYaml applied to the YAML text before composing it; must keep every line where it is
     * @return the fields, or null when there are none to read (the problem is recorded)
     */
    public MappingNode read(String text, String layout, UnaryOperator<String> fixYaml) {
        List<String> lines = text.replace("\r\n", "\n").lines().toList();
        if (lines.isEmpty() || !lines.getFirst().strip().equals("---")) {
            error(1, "", layout);
            return null;
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
            return null;
        }
        firstLine = 2;
        bodyLine = close + 2;
        body = String.join("\n", lines.subList(close + 1, lines.size())).strip();
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(fixYaml.apply(
                    String.join("\n", lines.subList(1, close)))));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + firstLine;
            error(line, "", "not valid YAML: " + e.getProblem());
            return null;
        } catch (YAMLException e) {
            error(0, "", "not valid YAML: " + e.getMessage());
            return null;
        }
        if (!(root instanceof MappingNode map)) {
            error(firstLine, "", "the front matter must be YAML fields (`name: …`), not "
                    + (root == null ? "empty" : "a " + root.getNodeId()));
            return null;
        }
        return map;
    }

    /** The text after the closing {@code ---}, stripped. */
    public String body() {
        return body;
    }

    /** The 1-based line just after the closing {@code ---}. */
    public int bodyLine() {
        return bodyLine;
    }

    /** The 1-based line of the first field (just after the opening {@code ---}). */
    public int firstLine() {
        return firstLine;
    }

    /** The fields of {@code map} whose names are single values (the others are reported under {@code what}). */
    public List<Field> fields(MappingNode map, String what) {
        List<Field> out = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalar(t.getKeyNode(), what);
            if (key != null) {
                out.add(new Field(key, t.getKeyNode(), t.getValueNode()));
            }
        }
        return out;
    }

    /** Reports a field as unknown; {@code known} lists the fields there are, {@code more} adds to that, or is empty. */
    public void unknown(Field f, Collection<String> known, String more) {
        warning(line(f.key()), f.name(), "unknown field, ignored; the fields are " + sorted(known) + more);
    }

    /** Reports a required field as missing, unless a problem about it was already reported. */
    public void missing(String field, String message) {
        if (problems.stream().noneMatch(p -> p.field().equals(field))) {
            error(firstLine, field, message);
        }
    }

    /** Checks a caod name (profiles, flows) against {@link ProfileParser#NAME}; reports it when it does not fit. */
    public boolean name(String value, int line, String field) {
        if (ProfileParser.NAME.matcher(value).matches()) {
            return true;
        }
        error(line, field, "`" + value + "` is not a valid name: lower-case letters, digits, `_`"
                + " and `-`, at most 48, starting with a letter or digit");
        return false;
    }

    /** A single value, or null (reported) when the node is a list or mapping. */
    public String scalar(Node v, String field) {
        if (v instanceof ScalarNode s) {
            String value = s.getValue();
            int bad = value.codePoints().filter(FrontMatter::isControl).findFirst().orElse(-1);
            if (bad >= 0) {
                // escape sequences in a field would reach terminals, logs and tmux as commands, not text
                error(line(v), field, String.format("contains the control character U+%04X; write plain text", bad));
                return null;
            }
            return value;
        }
        error(line(v), field, "expected a single value, not a " + kind(v));
        return null;
    }

    /** Control characters other than tab and newline (which block scalars legitimately hold). */
    private static boolean isControl(int c) {
        return c != '\t' && c != '\n' && (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }

    /** A list of single values; {@code example} shows one in the message when it is not a list. */
    public List<String> strings(Node v, String field, String example) {
        if (!(v instanceof SequenceNode seq)) {
            error(line(v), field, "expected a list, e.g. " + example);
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

    /** A mapping of names to single values. */
    public Map<String, String> stringMap(Node v, String field) {
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

    /** The node as plain Java values: strings, lists and maps. */
    public static Object plain(Node v) {
        if (v instanceof ScalarNode s) {
            return s.getValue();
        }
        if (v instanceof SequenceNode seq) {
            return seq.getValue().stream().map(FrontMatter::plain).toList();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) v).getValue()) {
            out.put(String.valueOf(plain(t.getKeyNode())), plain(t.getValueNode()));
        }
        return out;
    }

    /** The line of {@code key} in {@code map}, or the first line when it is not there. */
    public int lineOf(MappingNode map, String key) {
        return map.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key))
                .findFirst().map(t -> line(t.getKeyNode())).orElse(firstLine);
    }

    /** The 1-based line of a node in the file, 0 when unknown. */
    public int line(Node n) {
        return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + firstLine;
    }

    public static String kind(Node v) {
        return v instanceof SequenceNode ? "list" : v instanceof MappingNode ? "mapping" : "value";
    }

    /** The names sorted and joined with commas, for messages. */
    public static String sorted(Collection<String> names) {
        return String.join(", ", names.stream().sorted().toList());
    }

    public void error(int line, String field, String message) {
        problems.add(new Problem(file, line, field, message, true));
    }

    public void warning(int line, String field, String message) {
        problems.add(new Problem(file, line, field, message, false));
    }

    /** Every problem so far, in the order found. */
    public List<Problem> problems() {
        return problems;
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::error);
    }
}
