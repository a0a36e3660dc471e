package dev.caod.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Function;

/**
 * For benchmarks ({@code bench/terminals.sh}): when {@code CAOD_DEMO_TRACE=<file>} is set, appends
 * {@code prompt <epoch-micros>} to that file each time the idle prompt is drawn after an answer, so the time until
 * caod reports {@code completed} can be measured. Does nothing when the variable is unset.
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
        if (file == null) {
            return;
        }
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        try {
            Files.writeString(file, "prompt " + micros + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // a trace that cannot be written must not disturb the agent
        }
    }
}
