package dev.caod.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where caod keeps its files. Shared by the daemon and the client so both agree on the socket without talking.
 *
 * <p>{@code CAOD_HOME} relocates everything under one folder (tests and side-by-side installs use it); otherwise the
 * XDG base directories apply, with the runtime folder falling back under the state folder when
 * {@code XDG_RUNTIME_DIR} is missing (e.g. a cron job or a root shell without a login session).
 */
public record DaemonPaths(Path configDir, Path stateDir, Path runtimeDir) {

    /** Unix socket paths longer than this cannot be bound (sun_path is 108 bytes with its terminating NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    public static DaemonPaths fromEnvironment() {
        return resolve(System.getenv(), System.getProperty("user.home"));
    }

    public static DaemonPaths resolve(Map<String, String> env, String userHome) {
        String caodHome = env.get("CAOD_HOME");
        if (notBlank(caodHome)) {
            Path home = Path.of(caodHome).toAbsolutePath().normalize();
            return new DaemonPaths(home.resolve("config"), home.resolve("state"), home.resolve("run"));
        }
        Path home = Path.of(userHome);
        Path config = xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve("caod");
        Path state = xdg(env, "XDG_STATE_HOME", home.resolve(".local/state")).resolve("caod");
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path run = notBlank(runtime) && Files.isDirectory(Path.of(runtime)) && Files.isWritable(Path.of(runtime))
                ? Path.of(runtime).resolve("caod")
                : state.resolve("run");
        return new DaemonPaths(config, state, run);
    }

    public Path defaultSocket() {
        return runtimeDir.resolve("caod.sock");
    }

    public Path defaultDatabase() {
        return stateDir.resolve("caod.db");
    }

    public Path profilesDir() {
        return configDir.resolve("profiles");
    }

    public Path flowsDir() {
        return configDir.resolve("flows");
    }

    public Path providersDir() {
        return configDir.resolve("providers");
    }

    public Path configFile() {
        return configDir.resolve("config.properties");
    }

    /** Creates the folders the daemon writes to, private to the user (0700). */
    public void prepare() throws IOException {
        for (Path dir : new Path[] { configDir, stateDir, stateDir.resolve("logs"), runtimeDir }) {
            createPrivateDirectory(dir);
        }
    }

    public static void createPrivateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        // the XDG spec says relative values are invalid and must be ignored
        return notBlank(value) && Path.of(value).isAbsolute() ? Path.of(value) : fallback;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
