package dev.caod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.caod.daemon.DaemonPaths;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives every @QuarkusTest daemon a fresh CAOD_HOME under target/, prepared by the same code `caod serve` runs, so
 * tests use a real socket and a real SQLite file without touching the user's folders.
 */
public class CaodTestHome implements QuarkusTestResourceLifecycleManager {

    public static final Path HOME = Path.of("target", "th").toAbsolutePath();

    /** A tmux server of the tests' own: never the user's, never a running caod's. */
    public static final String TMUX_SOCKET = "caod-test-" + ProcessHandle.current().pid();

    public static DaemonPaths paths() {
        return new DaemonPaths(HOME.resolve("config"), HOME.resolve("state"), HOME.resolve("run"));
    }

    @Override
    public Map<String, String> start() {
        DaemonPaths paths = paths();
        try {
            deleteTree(HOME);
            paths.prepare();
            writeTestProfiles(paths.configDir().resolve("profiles"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("caod.config-dir", paths.configDir().toString(),
                "caod.state-dir", paths.stateDir().toString(),
                "caod.runtime-dir", paths.runtimeDir().toString(),
                "caod.tmux.socket-name", TMUX_SOCKET);
    }

    /** Profiles the terminal tests start; the demo agent plays the script of the same name (test resources demo/). */
    private static void writeTestProfiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : java.util.List.of("agent", "deaf", "boss", "reporter", "sleeper", "fast")) {
            Files.writeString(dir.resolve(name + ".md"), "---\nname: " + name + "\ndescription: test agent\n"
                    + "role: worker\n---\nYou are a scripted test agent.\n");
        }
        // the provider conformance suite's agent: its role prompt carries a marker the fake model can see
        Files.writeString(dir.resolve("conformer.md"), "---\nname: conformer\ndescription: conformance agent\n"
                + "role: worker\n---\nYou are a conformance test agent. ROLE-MARKER-CONFORMER.\n");
        // names its provider: wins over the caller's and the default, loses to an explicit request
        Files.writeString(dir.resolve("pinned.md"), "---\nname: pinned\nprovider: demo\n---\nA pinned agent.\n");
    }

    @Override
    public void stop() {
        TmuxServers.killAll(TMUX_SOCKET);
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
