package dev.caod.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The pattern half of a provider: how its screen and pane title say what the CLI is doing, and where its answer is.
 * Loaded from {@code providers/<name>.yaml} (built in) or {@code <config>/providers/<name>.yaml} (a user's override
 * of the same name wins). Patterns are Java regular expressions, matched per screen line ({@code find}).
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = false)
public record ProviderRules(
        @JsonProperty("provider") String provider,
        @JsonProperty("cli_version") String cliVersion,
        /** Search busy, waiting and idle patterns only in this many last non-blank screen lines; 0 = all. */
        @JsonProperty("bottom_lines") Integer bottomLines,
        /** The CLI is working: any match on the screen. */
        @JsonProperty("busy") List<String> busy,
        /** The CLI is working: a match on the pane title (e.g. a braille spinner). */
        @JsonProperty("busy_title") List<String> busyTitle,
        /** A dialog waits for an answer. */
        @JsonProperty("waiting") List<String> waiting,
        /** The input prompt is showing. */
        @JsonProperty("idle") List<String> idle,
        /** The CLI reported an error. */
        @JsonProperty("error") List<String> error,
        /** Ready for the first input (defaults to the idle patterns). */
        @JsonProperty("ready") List<String> ready,
        @JsonProperty("answer") Answer answer,
        /** Dialogs during start-up and the keys that answer them. */
        @JsonProperty("startup_dialogs") List<StartupDialog> startupDialogs,
        /** Keys that make the CLI quit (tried before the process tree is ended). */
        @JsonProperty("exit_keys") List<String> exitKeys,
        /**
         * The CLI connects its MCP servers in the background and lists their tools at start: it is ready only once it
         * has listed caod's (a task typed in earlier reaches the model without handoff or send_message).
         */
        @JsonProperty("ready_needs_mcp") Boolean readyNeedsMcp,
        /**
         * A line the CLI prints when a turn ends (Claude Code's "✻ Crunched for 3s"): with the input's echo scrolled
         * off a changed screen, it says a turn finished that was too quick to be seen busy.
         */
        @JsonProperty("turn_end") List<String> turnEnd,
        /**
         * How to start a CLI caod has no built-in support for (a manifest dropped into {@code <config>/providers/});
         * built-in providers launch in Java and must not have it.
         */
        @JsonProperty("launch") LaunchSpec launch) {

    /**
     * A declarative launch: argv pieces, environment and per-terminal files, with {@code {placeholder}}s filled in
     * per terminal (see {@link LaunchTemplate} for the names).
     */
    @RegisterForReflection
    public record LaunchSpec(
            /** The command line; the first item is the binary looked up on PATH. */
            @JsonProperty("command") List<String> command,
            /** Appended when the profile names a model. */
            @JsonProperty("when_model") List<String> whenModel,
            /** Appended when the profile has a role prompt. */
            @JsonProperty("when_system_prompt") List<String> whenSystemPrompt,
            /** Appended when tools run without asking (caod's default). */
            @JsonProperty("when_auto_approve") List<String> whenAutoApprove,
            /** Appended when the CLI must ask before running tools ({@code CAOD_APPROVALS=ask}). */
            @JsonProperty("when_asking") List<String> whenAsking,
            /** Variables added to the CLI's environment. */
            @JsonProperty("env") java.util.Map<String, String> env,
            /** Files written into the terminal's private folder (name → content) before the CLI starts. */
            @JsonProperty("files") java.util.Map<String, String> files) {
    }

    @RegisterForReflection
    public record Answer(
            /** The first line of an answer block. */
            @JsonProperty("start") String start,
            /** Lines of an answer block start with this prefix (stripped); default two spaces. */
            @JsonProperty("continuation") String continuation,
            /** Lines matching these end the block. */
            @JsonProperty("stop") List<String> stop,
            /** Blocks whose first line matches are not answers (tool calls). */
            @JsonProperty("skip") List<String> skip,
            /** How the CLI echoes a submitted input line (to find where the current turn starts). */
            @JsonProperty("input_echo") String inputEcho,
            /**
             * For CLIs that mark where an answer ends, not where it starts: the line just below the answer. The
             * answer is then the text above it, up to the nearest input echo or {@code after} line.
             */
            @JsonProperty("end") String end,
            /** With {@code end}: lines the answer starts below (tool-call and tool-result lines). */
            @JsonProperty("after") List<String> after) {
    }

    @RegisterForReflection
    public record StartupDialog(@JsonProperty("match") String match, @JsonProperty("keys") List<String> keys) {
    }

    /** Reads and compiles a manifest file; problems name the file and the field. */
    public static Compiled read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, ProviderRules.class).compile(file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a valid provider manifest: " + e.getMessage()
                    + " (fix or remove the file; a built-in provider uses its own manifest when it is absent)", e);
        }
    }

    /** Fills defaults and compiles every pattern, so a broken manifest fails at load with the field named. */
    public Compiled compile(String source) {
        return new Compiled(this, source);
    }

    /** The manifest with its patterns compiled. */
    public static final class Compiled {
        public final ProviderRules raw;
        public final List<Pattern> busy;
        public final List<Pattern> busyTitle;
        public final List<Pattern> waiting;
        public final List<Pattern> idle;
        public final List<Pattern> error;
        public final List<Pattern> ready;
        /** Where an answer block starts; null for end-anchored answers ({@link #answerEnd}). */
        public final Pattern answerStart;
        /** The line below an end-anchored answer; null when answers are found by their start. */
        public final Pattern answerEnd;
        public final List<Pattern> answerAfter;
        public final String continuation;
        public final List<Pattern> answerStop;
        public final List<Pattern> answerSkip;
        public final Pattern inputEcho;
        public final List<StartupDialogRule> startupDialogs;
        public final List<String> exitKeys;
        public final boolean readyNeedsMcp;
        public final List<Pattern> turnEnd;
        public final int bottomLines;
        /** The declarative launch, when the manifest has one (checked: every placeholder is known). */
        public final java.util.Optional<LaunchSpec> launch;

        Compiled(ProviderRules r, String source) {
            this.raw = r;
            if (r.provider() == null || r.provider().isBlank()) {
                throw new IllegalArgumentException(source + ": field `provider` is required");
            }
            busy = all(source, "busy", r.busy());
            busyTitle = all(source, "busy_title", r.busyTitle());
            waiting = all(source, "waiting", r.waiting());
            idle = all(source, "idle", r.idle());
            if (idle.isEmpty()) {
                throw new IllegalArgumentException(source + ": field `idle` needs at least one pattern");
            }
            error = all(source, "error", r.error());
            ready = r.ready() == null || r.ready().isEmpty() ? idle : all(source, "ready", r.ready());
            Answer a = r.answer() == null ? new Answer(null, null, null, null, null, null, null) : r.answer();
            if (a.start() == null && a.end() == null) {
                throw new IllegalArgumentException(source + ": field `answer.start` is required (or `answer.end` for"
                        + " a CLI that marks only where its answer ends)");
            }
            answerStart = a.start() == null ? null : one(source, "answer.start", a.start());
            answerEnd = a.end() == null ? null : one(source, "answer.end", a.end());
            answerAfter = all(source, "answer.after", a.after());
            continuation = a.continuation() == null ? "  " : a.continuation();
            answerStop = all(source, "answer.stop", a.stop());
            answerSkip = all(source, "answer.skip", a.skip());
            inputEcho = a.inputEcho() == null ? null : one(source, "answer.input_echo", a.inputEcho());
            startupDialogs = r.startupDialogs() == null ? List.of() : r.startupDialogs().stream()
                    .map(d -> new StartupDialogRule(one(source, "startup_dialogs.match", d.match()),
                            d.keys() == null || d.keys().isEmpty() ? List.of("Enter") : List.copyOf(d.keys())))
                    .toList();
            bottomLines = r.bottomLines() == null ? 0 : r.bottomLines();
            exitKeys = r.exitKeys() == null ? List.of() : List.copyOf(r.exitKeys());
            readyNeedsMcp = Boolean.TRUE.equals(r.readyNeedsMcp());
            turnEnd = all(source, "turn_end", r.turnEnd());
            launch = java.util.Optional.ofNullable(r.launch());
            launch.ifPresent(l -> LaunchTemplate.check(source, l));
        }

        /** A line that marks an answer: its first line, or for end-anchored answers the line below it. */
        public boolean marksAnswer(String line) {
            if (answerEnd != null) {
                return answerEnd.matcher(line).find();
            }
            return answerStart.matcher(line).find() && answerSkip.stream().noneMatch(s -> s.matcher(line).find());
        }

        /** The pattern {@link #marksAnswer} uses, for explanations. */
        public String answerMarker() {
            return (answerEnd != null ? answerEnd : answerStart).pattern();
        }

        private static List<Pattern> all(String source, String field, List<String> patterns) {
            return patterns == null ? List.of() : patterns.stream().map(p -> one(source, field, p)).toList();
        }

        private static Pattern one(String source, String field, String pattern) {
            try {
                return Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(source + ": field `" + field + "` has a broken pattern "
                        + pattern + ": " + e.getDescription());
            }
        }
    }

    public record StartupDialogRule(Pattern match, List<String> keys) {
    }
}
