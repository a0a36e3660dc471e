package dev.caod.flow;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * A valid flow file, as {@link FlowParser} read it.
 *
 * @param name              the flow's name (unique across the watched folders)
 * @param file              the file it was read from, as given to the parser
 * @param schedule          the 5-field unix cron (minute hour day-of-month month day-of-week), macros expanded
 * @param scheduleAsWritten the schedule as the file gives it, e.g. {@code @daily}
 * @param zone              the time zone the schedule is read in; null means the system's
 * @param agentProfile      the profile the agent runs with
 * @param provider          the provider to use instead of the profile's, or null
 * @param script            the script's argv, empty when there is none; the first element is a path relative to the
 *                          flow file's folder (never absolute, never with {@code ..})
 * @param workingDirectory  where the agent works: an absolute path or {@code ~/…} (not checked here), or null
 * @param enabled           false when the file turns the flow off
 * @param timeout           how long a run may take
 * @param promptTemplate    the prompt, with {@code [[var]]} placeholders
 * @param placeholders      the placeholder names in the prompt, in order of first appearance
 * @param interval          for {@code @every <duration>} schedules, the interval (then {@code schedule} is
 *                          {@code @every <seconds>s}); null for cron schedules
 */
public record FlowDefinition(String name, String file, String schedule, String scheduleAsWritten, ZoneId zone,
        String agentProfile, String provider, List<String> script, String workingDirectory, boolean enabled,
        Duration timeout, String promptTemplate, Set<String> placeholders, Duration interval) {

    /** A rendered prompt: its text and the placeholders no value was given for (left as written, in order). */
    public record Rendered(String text, List<String> missing) {
        public Rendered {
            missing = List.copyOf(missing);
        }

        public boolean complete() {
            return missing.isEmpty();
        }
    }

    public FlowDefinition {
        script = script == null ? List.of() : List.copyOf(script);
        placeholders = placeholders == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(placeholders));
    }

    /** The zone the schedule is read in: {@link #zone()}, or the system's when the file names none. */
    public ZoneId effectiveZone() {
        return zone == null ? ZoneId.systemDefault() : zone;
    }

    /**
     * The first scheduled time strictly after {@code after}, in the flow's zone; null if the schedule never fires
     * again (the parser rejects schedules that never fire at all).
     */
    public ZonedDateTime nextRun(ZonedDateTime after) {
        if (interval != null) {
            return after.withZoneSameInstant(effectiveZone()).plus(interval);
        }
        return FlowParser.executionTime(schedule).nextExecution(after.withZoneSameInstant(effectiveZone()))
                .orElse(null);
    }

    /**
     * Fills the placeholders from {@code vars}. Values are inserted as they are (a value containing {@code [[x]]} is
     * not filled again); a placeholder without a value stays as written and is listed in {@link Rendered#missing()}.
     */
    public Rendered render(Map<String, String> vars) {
        Matcher m = FlowParser.PLACEHOLDER.matcher(promptTemplate);
        StringBuilder out = new StringBuilder();
        Set<String> missing = new LinkedHashSet<>();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return new Rendered(out.toString(), new ArrayList<>(missing));
    }
}
