package dev.caod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The tmux servers of a test's caod, found by their socket files: the shared one ({@code tmux -L <prefix>}) and each
 * session's own ({@code <prefix>-<session>}, the default layout).
 */
public final class TmuxServers {

    private TmuxServers() {
    }

    /** The socket names of the servers whose socket files exist now. */
    public static List<String> sockets(String prefix) {
        Path dir = socketDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.equals(prefix) || n.startsWith(prefix + "-")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The socket of one session's own server. */
    public static String ofSession(String prefix, String tmuxSession) {
        return prefix + "-" + tmuxSession;
    }

    /** Stops every server (nothing when none runs) and removes their socket files. */
    public static void killAll(String prefix) {
        for (String socket : sockets(prefix)) {
            run(socket, "kill-server");
            try {
                Files.deleteIfExists(socketDir().resolve(socket)); // tmux 3.3a leaves the file behind
            } catch (IOException e) {
                // a socket still in use: its server outlived the kill; nothing more a test can do
            }
        }
    }

    /** Runs one tmux command on {@code socket}; its exit code and output. */
    public static Result run(String socket, String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    public record Result(int exitCode, String output) {
    }

    private static Path socketDir() {
        String tmp = System.getenv().getOrDefault("TMUX_TMPDIR", "/tmp");
        try {
            return Path.of(tmp, "tmux-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
