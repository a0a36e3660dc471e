package dev.caod.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo agent's screen text: every marker caod's {@code demo} status rules match lives here, so keep these
 * strings stable. Pure functions; {@link Screen} puts them on the terminal.
 */
public final class Renderer {

    /** Starts the input line when the agent is idle and ready (U+276F and a space). */
    public static final String PROMPT = "❯ ";
    /** Continuation lines of multi-line input and of answers. */
    public static final String INDENT = "  ";
    public static final String STARTING = "Starting…";
    public static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
    public static final String ANSWER = "● ";
    public static final String RESULT = "⎿ ";
    public static final String WORKED = "✻ Worked for ";
    public static final String ERROR = "✗ Error: ";
    public static final String INTERRUPTED = "⎿ Interrupted";
    public static final String DENIED = "⎿ Denied by user";
    public static final String PROCEED = "Do you want to proceed? (1/2, enter = yes, esc = no)";
    public static final String TITLE_IDLE = "✳ ";
    public static final String TITLE_WAITING = "✋ ";
    static final int RESULT_MAX = 200;
    static final int DIALOG_ARGS_MAX = 120;
    static final int DIALOG_MIN_INNER = 43;
    static final int LIVE_MAX_LINES = 20;

    private Renderer() {
    }

    public static String banner(String name, String scriptFileName) {
        return "demo-agent " + name + " · script " + scriptFileName;
    }

    /** The prompt with the text typed so far; continuation lines are indented two spaces. */
    public static List<String> prompt(String input) {
        return withFirstPrefix(PROMPT, input);
    }

    /**
     * The prompt as the live input area shows it: like {@link #prompt}, but a long input shows its first line, a
     * {@code … +N lines} marker and its last lines, so the area always fits on the screen and can be redrawn.
     */
    public static List<String> promptLive(String input) {
        List<String> lines = prompt(input);
        if (lines.size() <= LIVE_MAX_LINES) {
            return lines;
        }
        int tail = LIVE_MAX_LINES - 2;
        List<String> shown = new ArrayList<>();
        shown.add(lines.get(0));
        shown.add(INDENT + "… +" + (lines.size() - 1 - tail) + " lines");
        shown.addAll(lines.subList(lines.size() - tail, lines.size()));
        return shown;
    }

    public static String spinnerGlyph(int frame) {
        return String.valueOf(SPINNER.charAt(Math.floorMod(frame, SPINNER.length())));
    }

    public static String spinner(int frame, long seconds) {
        return spinnerGlyph(frame) + " Thinking… (" + seconds + "s · esc to interrupt)";
    }

    public static String calling(String tool) {
        return "● Calling " + clean(tool) + "…";
    }

    /** {@code ⎿ } and the first line of a tool result, at most 200 characters. */
    public static String result(String text) {
        String first = text.lines().findFirst().orElse("");
        if (first.codePointCount(0, first.length()) > RESULT_MAX) {
            first = first.substring(0, first.offsetByCodePoints(0, RESULT_MAX)) + "…";
        }
        return RESULT + clean(first);
    }

    /** The answer: {@code ● } first line, the rest indented, a blank line, then {@code ✻ Worked for Ns}. */
    public static List<String> answer(String reply, long seconds) {
        List<String> lines = withFirstPrefix(ANSWER, reply);
        lines.add("");
        lines.add(WORKED + seconds + "s");
        return lines;
    }

    public static List<String> error(String text) {
        return withFirstPrefix(ERROR, text);
    }

    /** The permission dialog box and its question line. */
    public static List<String> dialog(String tool, String argsJson) {
        String args = argsJson;
        if (args.codePointCount(0, args.length()) > DIALOG_ARGS_MAX) {
            args = args.substring(0, args.offsetByCodePoints(0, DIALOG_ARGS_MAX)) + "…";
        }
        List<String> body = List.of("Allow tool " + clean(tool) + "(" + clean(args) + ")?", "❯ 1. Yes", "  2. No");
        int inner = DIALOG_MIN_INNER;
        for (String line : body) {
            inner = Math.max(inner, width(line) + 2);
        }
        String head = "─ Permission ";
        List<String> box = new ArrayList<>();
        box.add("╭" + head + "─".repeat(inner - head.length()) + "╮");
        for (String line : body) {
            box.add("│ " + line + " ".repeat(inner - 1 - width(line)) + "│");
        }
        box.add("╰" + "─".repeat(inner) + "╯");
        box.add(PROCEED);
        return box;
    }

    public static String permissionAnswer(String tool, boolean allowed) {
        return RESULT + "Permission for " + clean(tool) + ": " + (allowed ? "allowed" : "denied");
    }

    public static String titleIdle(String name) {
        return TITLE_IDLE + name;
    }

    public static String titleBusy(String name, int frame) {
        return spinnerGlyph(frame) + " " + name;
    }

    public static String titleWaiting(String name) {
        return TITLE_WAITING + name;
    }

    /** Numbered lines {@code <prefix>001 …}, zero-padded to at least three digits. */
    public static String numberedLines(int count, String prefix) {
        int digits = Math.max(3, Integer.toString(count).length());
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            if (i > 1) {
                sb.append('\n');
            }
            sb.append(prefix).append(String.format("%0" + digits + "d", i));
        }
        return sb.toString();
    }

    private static List<String> withFirstPrefix(String prefix, String text) {
        List<String> lines = new ArrayList<>();
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            lines.add((i == 0 ? prefix : INDENT) + clean(parts[i]));
        }
        return lines;
    }

    /** Makes text safe to print: tabs become spaces, other control characters caret notation. */
    public static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String repl = c == '\t' ? "    "
                    : c < 0x20 ? "^" + (char) (c + 64)
                    : c == 0x7f ? "^?"
                    : c >= 0x80 && c < 0xa0 ? "\uFFFD"
                    : null;
            if (repl != null && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (repl != null) {
                    sb.append(repl);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Terminal columns a cleaned line takes: wide (CJK, fullwidth, emoji) characters 2, combining marks 0. */
    public static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                    || cp == 0x200b) {
                continue;
            }
            w += wide(cp) ? 2 : 1;
        }
        return w;
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff)
                || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf)
                || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f)
                || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6)
                || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x1f900 && cp <= 0x1f9ff)
                || (cp >= 0x20000 && cp <= 0x3fffd);
    }
}
