package dev.caod.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Function;

/**
 * For benchmarks ({@code bench/*.sh}): when {@code CAOD_DEMO_TRACE=<file>} is set, appends one line per moment that
 * caod's reaction time is measured against, each {@code <kind> <epoch-micros> [detail]}: {@code ready} when the first
 * prompt is drawn (detail: the process's start, in epoch micros), {@code paste} when typed text arrives (detail: its
 * first line), {@code input} when it is submitted, {@code prompt} when the idle prompt is drawn after an answer. Does
 * nothing when the variable is unset.
 */
final class PromptTrace {

    static final String VARIABLE = "CAOD_DEMO_TRACE";

    private final Path file;

    private PromptTrace(Path file) {
        this.file = file;
    }

    static PromptTrace fromEnv(Function<String, String> env) {
        String value = env.apply(VARIABLE);
        return new PromptTrace(value == null || value.isBlank() ? null : Path.of(value));
    }

    /** Call right after the prompt was written and flushed. */
    void promptDrawn() {
        write("prompt", "");
    }

    /** The first prompt is up: ready for input, this long after the process started. */
    void ready() {
        write("ready", ProcessHandle.current().info().startInstant().map(PromptTrace::micros).map(String::valueOf)
                .orElse(""));
    }

    void pasted(String text) {
        write("paste", firstLine(text));
    }

    void submitted(String text) {
        write("input", firstLine(text));
    }

    private void write(String kind, String detail) {
        if (file == null) {
            return;
        }
        String line = kind + " " + micros(Instant.now()) + (detail.isEmpty() ? "" : " " + detail) + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // a trace that cannot be written must not disturb the agent
        }
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) : line;
    }
}
