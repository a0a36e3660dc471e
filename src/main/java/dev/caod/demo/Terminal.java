package dev.caod.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tty on stdin, driven with {@code stty} (no JNI): raw mode and bracketed paste on {@link #enter}, both
 * undone by {@link #close} and by a shutdown hook. Without a tty (stdin piped, as in some tests) raw mode is skipped
 * and the agent still works on the byte streams.
 */
public final class Terminal implements AutoCloseable {

    static final String BRACKETED_PASTE_ON = "\u001b[?2004h";
    static final String BRACKETED_PASTE_OFF = "\u001b[?2004l";

    private final OutputStream out;
    private final AtomicBoolean active = new AtomicBoolean();
    private boolean raw;
    private Thread hook;

    public Terminal(OutputStream out) {
        this.out = out;
    }

    /** Raw mode (when there is a tty), no echo, bracketed paste; restored at exit whatever happens. */
    public Terminal enter() {
        raw = stty("raw", "-echo") != null;
        active.set(true);
        hook = new Thread(this::restore, "demo-agent-restore-tty");
        Runtime.getRuntime().addShutdownHook(hook);
        write(BRACKETED_PASTE_ON);
        return this;
    }

    public boolean isRaw() {
        return raw;
    }

    /** The terminal's width in columns, or {@code fallback} without a tty. */
    public int columns(int fallback) {
        String size = stty("size");
        if (size != null) {
            String[] parts = size.strip().split("\\s+");
            if (parts.length == 2) {
                try {
                    int cols = Integer.parseInt(parts[1]);
                    if (cols > 0) {
                        return cols;
                    }
                } catch (NumberFormatException e) {
                    // fall through
                }
            }
        }
        String env = System.getenv("COLUMNS");
        if (env != null && env.matches("\\d+") && Integer.parseInt(env) > 0) {
            return Integer.parseInt(env);
        }
        return fallback;
    }

    @Override
    public void close() {
        restore();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private void restore() {
        if (active.compareAndSet(true, false)) {
            write(BRACKETED_PASTE_OFF);
            if (raw) {
                stty("sane");
            }
        }
    }

    private void write(String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // nothing to restore on a closed terminal
        }
    }

    /**
     * Runs {@code stty args} on our own stdin (inherited, like {@code /dev/tty} in a pane, but never the terminal of
     * whoever started us with piped input); its output, or null when it failed (stdin is no tty).
     */
    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
