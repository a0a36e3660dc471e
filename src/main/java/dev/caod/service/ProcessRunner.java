package dev.caod.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs with exactly the given environment, so systemctl resolves the same folders the caller computed
 * (and tests can point it at throw-away ones). A program that hangs is killed after {@code timeout}.
 */
public final class ProcessRunner implements CommandRunner {

    private final Map<String, String> environment;
    private final Duration timeout;

    public ProcessRunner(Map<String, String> environment, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    @Override
    public Outcome run(List<String> argv) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Outcome(Outcome.NOT_STARTED, "", "cannot run " + argv.getFirst() + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close(); // nothing to type: a program asking for input sees end of file
            // both streams are drained concurrently, else a chatty stderr could fill its pipe and block the program
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Outcome(Outcome.NOT_STARTED, "", String.join(" ", argv) + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            return new Outcome(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            process.destroyForcibly();
            return new Outcome(Outcome.NOT_STARTED, "", "cannot talk to " + argv.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(Outcome.NOT_STARTED, "", "interrupted while running " + argv.getFirst());
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        });
        return text;
    }
}
