package dev.caod.flow;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import dev.caod.profile.FrontMatter;
import dev.caod.profile.Problem;

/**
 * Reads a flow file: YAML front matter between {@code ---} lines, then the prompt with {@code [[var]]} placeholders.
 * Like profiles, every problem names the file, the 1-based line and the field, and all problems are collected at once;
 * unknown fields are warnings.
 *
 * <p>Decisions worth knowing when writing a flow:
 * <ul>
 * <li>{@code schedule} is a 5-field unix cron (minute hour day-of-month month day-of-week) read in {@code timezone}
 * (default: the system's), or a macro: {@code @hourly}, {@code @daily} (= {@code @midnight}), {@code @weekly},
 * {@code @monthly}, {@code @yearly} (= {@code @annually}); {@code @reboot} is not supported. A schedule starting with
 * {@code *} or {@code @} needs no quotes, unlike elsewhere in YAML. The schedule is to the minute: no seconds field.</li>
 * <li>{@code script} is a list of strings (argv), or one string split on whitespace: no shell, no quotes, no variables;
 * arguments with spaces need the list form. Its first element is a file in the flow file's folder, given relative to
 * it (never looked up on the PATH): absolute paths, {@code ~} and {@code ..} are rejected here; whether the file
 * exists is checked when the flow runs.</li>
 * <li>{@code working_directory} is absolute or {@code ~/…}; whether it exists is checked when the flow runs.</li>
 * <li>{@code timeout} is a number with a unit, {@code 90s}, {@code 30m}, {@code 2h} or combined {@code 1h30m}; more
 * than 0 and at most 24h; 30m when absent.</li>
 * </ul>
 */
public final class FlowParser {

    /** A placeholder in the prompt: {@code [[name]]}. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\[\\[([A-Za-z_][A-Za-z0-9_]*)]]");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    private static final Set<String> FIELDS = Set.of("name", "description", "schedule", "timezone", "agent_profile",
            "provider", "script", "working_directory", "enabled", "timeout");
    /** {@code @every 30s}: a fixed interval instead of a cron (to the second; tests and quick polling). */
    private static final Pattern EVERY = Pattern.compile("@every\\s+(.+)", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> REQUIRED = Map.of(
            "name", "the flow's name, e.g. `name: daily-health` ([a-z0-9_-])",
            "schedule", "when the flow runs, e.g. `schedule: 0 9 * * 1-5` (09:00 Monday to Friday) or"
                    + " `schedule: @daily`",
            "agent_profile", "the profile the agent runs with, e.g. `agent_profile: reviewer`");
    private static final Map<String, String> MACROS = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");
    private static final List<String> CRON_FIELDS = List.of("minute", "hour", "day-of-month", "month", "day-of-week");
    private static final String CRON_HELP = "a schedule is 5 fields, minute hour day-of-month month day-of-week,"
            + " e.g. `0 9 * * 1-5` (09:00 Monday to Friday) or `*/15 * * * *` (every 15 minutes), or one of @hourly,"
            + " @daily, @weekly, @monthly, @yearly";
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, ExecutionTime> EXECUTION_TIMES = new ConcurrentHashMap<>();
    /** A top-level {@code schedule:} whose plain value starts with a YAML indicator ({@code *} alias, {@code @}). */
    private static final Pattern BARE_SCHEDULE = Pattern.compile("(?m)^(schedule:[ \\t]+)([*@][^\\n#\"']*?)([ \\t]*(#.*)?)$");
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,6})s)?");
    private static final Pattern SHELL_SYNTAX = Pattern.compile("[\"'|&;<>$`]");
    private static final String SCRIPT_HELP = "a script is a file in the flow's folder, given relative to it, e.g."
            + " `script: check.sh` or `script: [scripts/check.py, --days, \"2\"]`";

    /** The outcome: the flow when there is no error, and every problem found. */
    public record Parsed(FlowDefinition flow, List<Problem> problems) {
        public boolean ok() {
            return flow != null;
        }
    }

    private final String file;
    private final FrontMatter fm;
    private final Map<String, String> values = new HashMap<>();
    /** Set by an {@code @every} schedule. */
    private Duration interval;

    private FlowParser(String file) {
        this.file = file;
        this.fm = new FrontMatter(file);
    }

    /**
     * @param text the whole file
     * @param file the name to report problems against, and the flow's {@link FlowDefinition#file()}
     */
    public static Parsed parse(String text, String file) {
        return new FlowParser(file).run(text);
    }

    /** The execution times of a normalized 5-field schedule (parsed once per distinct schedule). */
    static ExecutionTime executionTime(String schedule) {
        return EXECUTION_TIMES.computeIfAbsent(schedule, s -> ExecutionTime.forCron(CRON.parse(s)));
    }

    private Parsed run(String text) {
        MappingNode map = fm.read(text, "a flow starts with a line `---`, then YAML fields (name, schedule,"
                + " agent_profile …), then a closing `---`, then the prompt", FlowParser::quoteSchedule);
        if (map == null) {
            return new Parsed(null, fm.problems());
        }
        String schedule = null;
        ZoneId zone = null;
        List<String> script = List.of();
        String workingDirectory = null;
        boolean enabled = true;
        Duration timeout = DEFAULT_TIMEOUT;
        Map<String, Integer> seen = new HashMap<>();
        for (FrontMatter.Field f : fm.fields(map, "field name")) {
            Integer before = seen.putIfAbsent(f.name(), fm.line(f.key()));
            if (before != null) {
                fm.error(fm.line(f.key()), f.name(), "given twice (first on line " + before + "); keep one");
                continue;
            }
            Node v = f.value();
            switch (f.name()) {
                case "name", "agent_profile" -> name(f);
                case "description" -> fm.scalar(f.value(), "description"); // for people; caod keeps no copy
                case "schedule" -> schedule = schedule(f);
                case "timezone" -> zone = zone(f);
                case "provider" -> provider(f);
                case "script" -> script = script(v);
                case "working_directory" -> workingDirectory = workingDirectory(v);
                case "enabled" -> enabled = enabled(v);
                case "timeout" -> timeout = timeout(v);
                default -> fm.unknown(f, FIELDS, "");
            }
        }
        REQUIRED.keySet().stream().sorted().filter(k -> !values.containsKey(k))
                .forEach(k -> fm.missing(k, "required: " + REQUIRED.get(k)));
        String body = fm.body();
        if (body.isEmpty()) {
            fm.error(fm.bodyLine(), "", "the prompt (the text after the closing `---`) is empty: write what the agent"
                    + " should do, with [[name]] placeholders for the values the script gives");
        }
        if (fm.hasErrors()) {
            return new Parsed(null, fm.problems());
        }
        Set<String> placeholders = new LinkedHashSet<>();
        PLACEHOLDER.matcher(body).results().forEach(r -> placeholders.add(r.group(1)));
        return new Parsed(new FlowDefinition(values.get("name"), file, schedule, values.get("schedule"), zone,
                values.get("agent_profile"), values.get("provider"), script, workingDirectory, enabled, timeout, body,
                placeholders, interval), fm.problems());
    }

    /**
     * A value that fits on one line, stripped; null (reported or, for an optional field, simply absent) when it is
     * not a single value or is empty. Remembers required values in {@link #values}.
     */
    private String text(FrontMatter.Field f) {
        String s = fm.scalar(f.value(), f.name());
        if (s == null) {
            return null;
        }
        s = s.strip();
        if (s.isEmpty()) {
            if (REQUIRED.containsKey(f.name())) {
                fm.error(fm.line(f.key()), f.name(), "empty; required: " + REQUIRED.get(f.name()));
            }
            return null;
        }
        return s;
    }

    private void name(FrontMatter.Field f) {
        String s = text(f);
        if (s != null && fm.name(s, fm.line(f.value()), f.name())) {
            values.put(f.name(), s);
        }
    }

    private void provider(FrontMatter.Field f) {
        String s = text(f);
        if (s == null) {
            return;
        }
        if (!s.matches("[a-z0-9][a-z0-9_-]{0,47}")) {
            fm.error(fm.line(f.value()), "provider", "`" + s + "` is not a provider name, e.g. `claude_code`,"
                    + " `codex`; leave the field out to use the profile's provider");
            return;
        }
        values.put("provider", s);
    }

    /** The normalized 5-field expression; remembers the schedule as written. */
    private String schedule(FrontMatter.Field f) {
        String written = text(f);
        if (written == null) {
            return null;
        }
        int line = fm.line(f.value());
        Matcher every = EVERY.matcher(written.strip());
        if (every.matches()) {
            Matcher m = DURATION.matcher(every.group(1).strip().toLowerCase(Locale.ROOT));
            Duration d = m.matches() ? Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2)))
                    .plusSeconds(number(m.group(3))) : Duration.ZERO;
            if (d.isZero()) {
                fm.error(line, "schedule", "`" + written + "`: @every takes a duration of at least 1s, e.g. `@every"
                        + " 30s` or `@every 2h`");
                return null;
            }
            interval = d;
            values.put("schedule", written);
            return "@every " + d.toSeconds() + "s";
        }
        String cron = written.startsWith("@") ? MACROS.get(written.toLowerCase(Locale.ROOT)) : written;
        if (cron == null) {
            fm.error(line, "schedule", "`" + written + "` is not a schedule caod knows (@reboot is not supported); "
                    + CRON_HELP);
            return null;
        }
        String[] parts = cron.split("\\s+");
        if (parts.length != 5) {
            fm.error(line, "schedule", "`" + written + "` has " + parts.length + " field" + (parts.length == 1 ? "" : "s")
                    + (parts.length == 6 ? " (flows run to the minute: there is no seconds or year field)" : "")
                    + "; " + CRON_HELP);
            return null;
        }
        String normalized = String.join(" ", parts);
        try {
            CRON.parse(normalized).validate();
        } catch (IllegalArgumentException e) {
            fm.error(line, "schedule", "`" + written + "` is not a valid schedule: " + cronProblem(parts, e) + "; "
                    + CRON_HELP);
            return null;
        }
        if (executionTime(normalized).nextExecution(ZonedDateTime.now(ZoneOffset.UTC)).isEmpty()) {
            fm.error(line, "schedule", "`" + written + "` never fires (no such day); " + CRON_HELP);
            return null;
        }
        values.put("schedule", written);
        return normalized;
    }

    /** Names the cron field at fault, found by parsing each field alone among {@code *}s. */
    private static String cronProblem(String[] parts, IllegalArgumentException whole) {
        for (int i = 0; i < parts.length; i++) {
            String[] alone = {"*", "*", "*", "*", "*"};
            alone[i] = parts[i];
            try {
                CRON.parse(String.join(" ", alone)).validate();
            } catch (IllegalArgumentException e) {
                return "the " + CRON_FIELDS.get(i) + " `" + parts[i] + "` is wrong (" + reason(e) + ")";
            }
        }
        return reason(whole);
    }

    private static String reason(IllegalArgumentException e) {
        String m = String.valueOf(e.getMessage()).replace("Failed to parse cron expression. ", "").strip();
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private ZoneId zone(FrontMatter.Field f) {
        String s = text(f);
        if (s == null) {
            return null;
        }
        try {
            return ZoneId.of(s);
        } catch (DateTimeException e) {
            fm.error(fm.line(f.value()), "timezone", "`" + s + "` is not a known time zone; use an IANA id such as"
                    + " `Europe/Paris`, `America/New_York` or `UTC`, or leave the field out for the system's");
            return null;
        }
    }

    private List<String> script(Node v) {
        List<String> argv;
        if (v instanceof ScalarNode s) {
            argv = s.getValue().isBlank() ? List.of() : Arrays.asList(s.getValue().strip().split("\\s+"));
            if (SHELL_SYNTAX.matcher(s.getValue()).find()) {
                fm.warning(fm.line(v), "script", "the script runs without a shell: quotes, pipes, redirections and"
                        + " variables reach it as they are written; give a list for arguments with spaces, e.g."
                        + " `script: [check.sh, \"two words\"]`");
            }
        } else if (v instanceof SequenceNode) {
            argv = fm.strings(v, "script", "[check.sh, --days, \"2\"]");
        } else {
            fm.error(fm.line(v), "script", "expected a command line or a list, not a mapping; " + SCRIPT_HELP);
            return List.of();
        }
        if (argv.isEmpty() || argv.getFirst().isBlank()) {
            fm.error(fm.line(v), "script", "empty; leave the field out, or give the script: " + SCRIPT_HELP);
            return List.of();
        }
        String path = argv.getFirst();
        if (path.startsWith("/") || path.startsWith("\\") || path.startsWith("~") || path.matches("[A-Za-z]:.*")) {
            fm.error(fm.line(v), "script", "`" + path + "` is not relative to the flow's folder; " + SCRIPT_HELP);
            return List.of();
        }
        if (Arrays.asList(path.split("[/\\\\]")).contains("..")) {
            fm.error(fm.line(v), "script", "`" + path + "` leaves the flow's folder (`..`); " + SCRIPT_HELP);
            return List.of();
        }
        return argv;
    }

    private String workingDirectory(Node v) {
        String s = fm.scalar(v, "working_directory");
        if (s == null || s.isBlank()) {
            return null;
        }
        s = s.strip();
        if (!s.startsWith("/") && !s.equals("~") && !s.startsWith("~/")) {
            fm.error(fm.line(v), "working_directory", "`" + s + "` is neither absolute nor in your home folder;"
                    + " write e.g. `/srv/repo` or `~/src/repo`");
            return null;
        }
        return s;
    }

    private boolean enabled(Node v) {
        String s = fm.scalar(v, "enabled");
        if (s == null) {
            return true;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                fm.error(fm.line(v), "enabled", "`" + s + "`: expected true or false");
                yield true;
            }
        };
    }

    private Duration timeout(Node v) {
        String s = fm.scalar(v, "timeout");
        if (s == null) {
            return DEFAULT_TIMEOUT;
        }
        s = s.strip();
        Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
        String problem;
        if (s.startsWith("-")) {
            problem = "a timeout must be positive";
        } else if (s.matches("\\d+")) {
            problem = "a timeout needs a unit";
        } else if (s.isEmpty() || !m.matches()) {
            problem = "not a duration";
        } else {
            Duration d = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2)))
                    .plusSeconds(number(m.group(3)));
            if (d.isZero()) {
                problem = "a timeout must be more than 0";
            } else if (d.compareTo(MAX_TIMEOUT) > 0) {
                problem = "more than 24h, the longest a run may take";
            } else {
                return d;
            }
        }
        fm.error(fm.line(v), "timeout", "`" + s + "`: " + problem + "; write a number and a unit, e.g. `90s`, `30m`,"
                + " `2h` or `1h30m` (at most 24h; 30m when absent)");
        return DEFAULT_TIMEOUT;
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    /** Quotes a plain {@code schedule:} value starting with {@code *} or {@code @}, which YAML would reject. */
    static String quoteSchedule(String yaml) {
        return BARE_SCHEDULE.matcher(yaml).replaceAll(r -> Matcher.quoteReplacement(
                r.group(1) + "\"" + r.group(2) + "\"" + r.group(3)));
    }
}
