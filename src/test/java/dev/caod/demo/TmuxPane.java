package dev.caod.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One window on a private tmux server ({@code tmux -L demo-test-<random>}), for driving a terminal program in
 * tests: send keys, paste, capture the screen, wait for it with a deadline. Closing kills the server.
 */
final class TmuxPane implements AutoCloseable {

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

    private final String socket = "demo-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path config;
    private final String target = "t";

    private TmuxPane(Path config) {
        this.config = config;
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts {@code command} in a {@code cols}x{@code rows} window, then prints {@code [exited <code>]}: tmux
     * (3.3a) does not always reap a pane's process promptly, so its {@code pane_dead_status} is unreliable. The
     * pane stays after the command ends.
     */
    static TmuxPane start(int cols, int rows, Map<String, String> env, List<String> command) throws IOException {
        Path config = Files.createTempFile("demo-tmux", ".conf");
        Files.writeString(config, "set -g remain-on-exit on\nset -g history-limit 5000\n");
        TmuxPane pane = new TmuxPane(config);
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", pane.target, "-x",
                Integer.toString(cols), "-y", Integer.toString(rows)));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.add(String.join(" ", command.stream().map(TmuxPane::shellQuote).toList()) + "; echo \"[exited $?]\"");
        pane.tmux(null, args.toArray(String[]::new));
        return pane;
    }

    /** The visible screen (trailing spaces trimmed by tmux). */
    String screen() throws IOException {
        return tmux(null, "capture-pane", "-p", "-t", target);
    }

    /** The whole history and the screen. */
    String history() throws IOException {
        return tmux(null, "capture-pane", "-p", "-S", "-", "-t", target);
    }

    String title() throws IOException {
        return display("#{pane_title}");
    }

    String display(String format) throws IOException {
        return tmux(null, "display-message", "-p", "-t", target, format).strip();
    }

    void sendKeys(String... keys) throws IOException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", target));
        args.addAll(Arrays.asList(keys));
        tmux(null, args.toArray(String[]::new));
    }

    /** Types literal text (no key names). */
    void type(String text) throws IOException {
        tmux(null, "send-keys", "-l", "-t", target, text);
    }

    /** Pastes text as a bracketed paste, the way caod delivers messages. */
    void paste(String text) throws IOException {
        tmux(text, "load-buffer", "-b", "demo-paste", "-");
        tmux(null, "paste-buffer", "-p", "-d", "-b", "demo-paste", "-t", target);
    }

    /** Polls the screen until {@code test} holds; fails with the last screen after the deadline. */
    String waitFor(String what, Predicate<String> test) throws IOException, InterruptedException {
        return waitFor(what, DEFAULT_WAIT, test);
    }

    String waitFor(String what, Duration timeout, Predicate<String> test) throws IOException, InterruptedException {
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
                last.set(screen());
                return test.test(last.get());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what
                    + "; title '" + title() + "', screen:\n" + last.get());
        }
        return last.get();
    }

    @Override
    public void close() throws IOException {
        try {
            tmux(null, "kill-server");
        } catch (IOException e) {
            // already gone
        }
        Files.deleteIfExists(config);
    }

    private String tmux(String stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-u", "-L", socket, "-f", config.toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TMUX");
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().remove("LC_ALL");
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("tmux " + String.join(" ", args) + " failed: " + err.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
