package dev.caod.flow;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.caod.profile.Problem;

class FlowParserTest {

    private static FlowParser.Parsed parse(String text) {
        return FlowParser.parse(text, "f.md");
    }

    private static FlowDefinition flow(String fields) {
        var parsed = parse("---\nname: f\nagent_profile: worker\n" + fields + "\n---\nDo it.\n");
        assertTrue(parsed.ok(), parsed.problems().toString());
        return parsed.flow();
    }

    @Test
    void aCompleteFlow() {
        var parsed = parse("""
                ---
                name: todo-review
                schedule: "0 9 * * 1-5"
                timezone: Europe/Paris
                agent_profile: reviewer
                provider: codex
                script: [scripts/todos.py, --since, "2 days"]
                working_directory: ~/src/app
                enabled: false
                timeout: 1h30m
                ---
                Review the [[count]] TODOs in [[repo]].

                Start with [[count]] and --- keep it short.
                """);
        assertTrue(parsed.ok(), parsed.problems().toString());
        assertTrue(parsed.problems().isEmpty(), parsed.problems().toString());
        FlowDefinition f = parsed.flow();
        assertEquals("todo-review", f.name());
        assertEquals("f.md", f.file());
        assertEquals("0 9 * * 1-5", f.schedule());
        assertEquals("0 9 * * 1-5", f.scheduleAsWritten());
        assertEquals(ZoneId.of("Europe/Paris"), f.zone());
        assertEquals("reviewer", f.agentProfile());
        assertEquals("codex", f.provider());
        assertEquals(List.of("scripts/todos.py", "--since", "2 days"), f.script());
        assertEquals("~/src/app", f.workingDirectory());
        assertFalse(f.enabled());
        assertEquals(Duration.ofMinutes(90), f.timeout());
        assertEquals("Review the [[count]] TODOs in [[repo]].\n\nStart with [[count]] and --- keep it short.",
                f.promptTemplate());
        assertEquals(List.of("count", "repo"), List.copyOf(f.placeholders()));
    }

    @Test
    void defaultsForTheOptionalFields() {
        FlowDefinition f = flow("schedule: 0 9 * * *");
        assertNull(f.zone());
        assertEquals(ZoneId.systemDefault(), f.effectiveZone());
        assertNull(f.provider());
        assertEquals(List.of(), f.script());
        assertNull(f.workingDirectory());
        assertTrue(f.enabled());
        assertEquals(Duration.ofMinutes(30), f.timeout());
        assertEquals(Set.of(), f.placeholders());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            @hourly          | 0 * * * *
            @daily           | 0 0 * * *
            @midnight        | 0 0 * * *
            @weekly          | 0 0 * * 0
            @monthly         | 0 0 1 * *
            '"@daily"'       | 0 0 * * *
            '*/15 * * * *'   | */15 * * * *
            '*  9 * *   MON-FRI # weekdays' | * 9 * * MON-FRI
            """)
    void macrosAreExpandedAndBareCronValuesNeedNoQuotes(String written, String normalized) {
        FlowDefinition f = flow("schedule: " + written);
        assertEquals(normalized, f.schedule());
    }

    @Test
    void theScheduleAsWrittenIsKept() {
        FlowDefinition f = flow("schedule: '@weekly'");
        assertEquals("@weekly", f.scheduleAsWritten());
        assertEquals("0 0 * * 0", f.schedule());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no front matter      | hello                                                        | 1 |               | a flow starts with a line `---`
            bad YAML             | ---\\nname: [a\\n---\\nx                                       | 2 |               | not valid YAML
            missing name         | ---\\nschedule: "@daily"\\nagent_profile: a\\n---\\nx         | 2 | name          | required: the flow
            bad name             | ---\\nname: Daily Check\\nschedule: "@daily"\\nagent_profile: a\\n---\\nx | 2 | name | not a valid name
            missing schedule     | ---\\nname: a\\nagent_profile: a\\n---\\nx                    | 2 | schedule      | required: when the flow runs
            missing profile      | ---\\nname: a\\nschedule: "@daily"\\n---\\nx                  | 2 | agent_profile | required: the profile
            empty profile        | ---\\nname: a\\nschedule: "@daily"\\nagent_profile:\\n---\\nx | 4 | agent_profile | empty; required
            minute out of range  | ---\\nname: a\\nschedule: 61 * * * *\\nagent_profile: a\\n---\\nx | 3 | schedule | the minute `61` is wrong (value 61 not in range [0, 59])
            day of week          | ---\\nname: a\\nschedule: 0 9 * * 8\\nagent_profile: a\\n---\\nx | 3 | schedule | the day-of-week `8` is wrong
            three fields         | ---\\nname: a\\nschedule: "* * *"\\nagent_profile: a\\n---\\nx | 3 | schedule | `* * *` has 3 fields; a schedule is 5 fields
            seconds field        | ---\\nname: a\\nschedule: 0 0 9 * * 1\\nagent_profile: a\\n---\\nx | 3 | schedule | no seconds or year field
            unknown macro        | ---\\nname: a\\nschedule: "@reboot"\\nagent_profile: a\\n---\\nx | 3 | schedule | not a schedule caod knows
            never fires          | ---\\nname: a\\nschedule: 0 0 30 2 *\\nagent_profile: a\\n---\\nx | 3 | schedule | never fires
            schedule as list     | ---\\nname: a\\nschedule: [1, 2]\\nagent_profile: a\\n---\\nx | 3 | schedule      | expected a single value
            bad timezone         | ---\\nname: a\\nschedule: "@daily"\\ntimezone: Europe/Pariss\\nagent_profile: a\\n---\\nx | 4 | timezone | `Europe/Pariss` is not a known time zone
            timeout without unit | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\ntimeout: 30\\n---\\nx | 5 | timeout | `30`: a timeout needs a unit
            timeout zero         | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\ntimeout: 0m\\n---\\nx | 5 | timeout | must be more than 0
            timeout negative     | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\ntimeout: -5m\\n---\\nx | 5 | timeout | must be positive
            timeout too long     | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\ntimeout: 25h\\n---\\nx | 5 | timeout | more than 24h
            timeout not duration | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\ntimeout: soon\\n---\\nx | 5 | timeout | not a duration
            absolute script      | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nscript: /usr/bin/check\\n---\\nx | 5 | script | `/usr/bin/check` is not relative to the flow
            home script          | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nscript: [~/check.sh]\\n---\\nx | 5 | script | not relative
            escaping script      | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nscript: [sub/../../x.sh, a]\\n---\\nx | 5 | script | leaves the flow
            empty script         | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nscript: []\\n---\\nx | 5 | script | empty
            relative workdir     | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nworking_directory: src\\n---\\nx | 5 | working_directory | neither absolute
            bad enabled          | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nenabled: maybe\\n---\\nx | 5 | enabled | expected true or false
            bad provider         | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nprovider: Claude Code\\n---\\nx | 5 | provider | not a provider name
            twice                | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\nname: b\\n---\\nx | 5 | name | given twice (first on line 2)
            empty body           | ---\\nname: a\\nschedule: "@daily"\\nagent_profile: a\\n---\\n  \\n | 6 |          | the prompt (the text after the closing `---`) is empty
            """)
    void brokenFlowsNameTheLineAndTheField(String why, String text, int line, String field, String message) {
        var parsed = parse(text.replace("\\n", "\n"));
        Problem first = parsed.problems().stream().filter(Problem::error).findFirst().orElseThrow(() ->
                new AssertionError(why + ": no error in " + parsed.problems()));
        assertAll(why + ": " + first,
                () -> assertFalse(parsed.ok()),
                () -> assertNull(parsed.flow()),
                () -> assertEquals("f.md", first.file()),
                () -> assertEquals(line, first.line()),
                () -> assertEquals(field == null ? "" : field, first.field()),
                () -> assertTrue(first.message().contains(message)));
    }

    @Test
    void scheduleErrorsShowAnExample() {
        var parsed = parse("---\nname: a\nschedule: 61 * * * *\nagent_profile: a\n---\nx\n");
        assertTrue(parsed.problems().getFirst().message().contains("e.g. `0 9 * * 1-5`"),
                parsed.problems().toString());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var parsed = parse("---\nname: a\nschedule: 61 * * * *\ntimezone: Mars/Olympus\nagent_profile: a\n"
                + "timeout: 0s\n---\nx\n");
        assertEquals(List.of("schedule", "timezone", "timeout"),
                parsed.problems().stream().map(Problem::field).toList());
    }

    @Test
    void unknownFieldsAreWarningsNotFailures() {
        var parsed = parse("---\nname: a\nschedule: '@daily'\nagent_profile: a\ncolour: blue\n---\nprompt\n");
        assertTrue(parsed.ok(), parsed.problems().toString());
        Problem w = parsed.problems().getFirst();
        assertFalse(w.error());
        assertEquals("colour", w.field());
        assertEquals(5, w.line());
        assertTrue(w.message().contains("unknown field, ignored; the fields are agent_profile, description, enabled, name"), w.message());
    }

    @Test
    void aScriptStringIsSplitOnWhitespaceWithoutAShell() {
        assertEquals(List.of("./check.sh", "--days", "2"), flow("schedule: '@daily'\nscript: ./check.sh  --days 2").script());
        var parsed = parse("---\nname: a\nschedule: '@daily'\nagent_profile: a\nscript: check.sh \"two words\"\n---\nx\n");
        assertTrue(parsed.ok());
        assertEquals(List.of("check.sh", "\"two", "words\""), parsed.flow().script());
        Problem w = parsed.problems().getFirst();
        assertFalse(w.error());
        assertEquals("script", w.field());
        assertTrue(w.message().contains("without a shell"), w.message());
    }

    @Test
    void timeoutsTakeUnits() {
        assertEquals(Duration.ofSeconds(90), flow("schedule: '@daily'\ntimeout: 90s").timeout());
        assertEquals(Duration.ofHours(2), flow("schedule: '@daily'\ntimeout: 2h").timeout());
        assertEquals(Duration.ofHours(24), flow("schedule: '@daily'\ntimeout: 24h").timeout());
    }

    @Test
    void placeholdersRenderAndMissingOnesAreReported() {
        FlowDefinition f = flow("schedule: '@daily'");
        f = new FlowDefinition(f.name(), f.file(), f.schedule(), f.scheduleAsWritten(), f.zone(), f.agentProfile(),
                f.provider(), f.script(), f.workingDirectory(), f.enabled(), f.timeout(),
                "Check [[repo]] for [[count]] items ($1 \\ [[repo]]); [[not a placeholder]] [[owner]].", Set.of(),
                null);
        var r = f.render(Map.of("repo", "caod", "count", "[[owner]] $2"));
        assertEquals("Check caod for [[owner]] $2 items ($1 \\ caod); [[not a placeholder]] [[owner]].", r.text());
        assertEquals(List.of("owner"), r.missing());
        assertFalse(r.complete());
        assertTrue(f.render(Map.of("repo", "a", "count", "1", "owner", "me")).complete());
    }

    @Test
    void placeholdersAreCollectedFromTheBody() {
        var parsed = parse("---\nname: a\nschedule: '@daily'\nagent_profile: a\n---\n[[b]] [[a_1]] [[b]] [[9x]]\n");
        assertEquals(List.of("b", "a_1"), List.copyOf(parsed.flow().placeholders()));
    }

    @Test
    void nextRunIsInTheFlowsZone() {
        FlowDefinition f = flow("schedule: 0 9 * * 1-5\ntimezone: Europe/Paris");
        ZoneId paris = ZoneId.of("Europe/Paris");
        ZonedDateTime friday = ZonedDateTime.of(2025, 11, 28, 10, 0, 0, 0, paris);
        assertEquals(ZonedDateTime.of(2025, 12, 1, 9, 0, 0, 0, paris), f.nextRun(friday));
        // the same instant seen from another zone gives the same run, expressed in the flow's zone
        ZonedDateTime fridayInTokyo = friday.withZoneSameInstant(ZoneId.of("Asia/Tokyo"));
        assertEquals(ZonedDateTime.of(2025, 12, 1, 9, 0, 0, 0, paris), f.nextRun(fridayInTokyo));
        // strictly after: a run time itself gives the next one
        ZonedDateTime monday = ZonedDateTime.of(2025, 12, 1, 9, 0, 0, 0, paris);
        assertEquals(ZonedDateTime.of(2025, 12, 2, 9, 0, 0, 0, paris), f.nextRun(monday));
    }

    @Test
    void windowsLineEndingsAreRead() {
        var parsed = parse("---\r\nname: a\r\nschedule: '@hourly'\r\nagent_profile: a\r\n---\r\nDo [[x]].\r\n");
        assertTrue(parsed.ok(), parsed.problems().toString());
        assertEquals("Do [[x]].", parsed.flow().promptTemplate());
    }

    @Test
    void everyIsAnIntervalToTheSecond() {
        FlowDefinition f = flow("schedule: '@every 90s'");
        assertEquals(java.time.Duration.ofSeconds(90), f.interval());
        assertEquals("@every 90s", f.schedule());
        var after = java.time.ZonedDateTime.parse("2026-11-20T10:00:00Z[UTC]");
        assertEquals(after.plusSeconds(90).toInstant(), f.nextRun(after).toInstant());
    }

    @Test
    void theRepositorysExampleFlowsValidate() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("flows"))) {
            List<java.nio.file.Path> examples = files.filter(f -> f.toString().endsWith(".md"))
                    .filter(f -> !f.getFileName().toString().equals("README.md")).toList();
            assertTrue(examples.size() >= 3, examples.toString());
            for (var f : examples) {
                var parsed = FlowParser.parse(java.nio.file.Files.readString(f), f.toString());
                assertTrue(parsed.ok(), f + ": " + parsed.problems());
                assertTrue(parsed.problems().isEmpty(), f + " has warnings: " + parsed.problems());
            }
        }
    }
}
