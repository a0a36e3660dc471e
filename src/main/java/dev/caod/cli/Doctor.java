package dev.caod.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.daemon.DaemonPaths;
import dev.caod.provider.AgentCli;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.StatusRuntimeException;

/**
 * The checks behind {@code caod doctor}. Each names what it looked at and, when something is wrong, the fix. It
 * reads files' modes but never opens the database: that is the daemon's, and it reports on it over gRPC.
 */
final class Doctor {

    @RegisterForReflection
    enum Level {
        ok, warn, fail
    }

    /** Printed by Jackson for {@code -o json}; registered so a native image keeps its accessors. */
    @RegisterForReflection
    record Check(String name, Level level, String detail, String fix) {
    }

    static final String MIN_TMUX = "3.2";
    /** The first release whose server survived bench/tmux-churn.sh (3.3a crashed within a minute). */
    static final String STABLE_TMUX = "3.5";

    private final DaemonPaths paths;
    private final ClientOptions options;
    private final List<Check> checks = new ArrayList<>();

    Doctor(DaemonPaths paths, ClientOptions options) {
        this.paths = paths;
        this.options = options;
    }

    List<Check> run() {
        checkJava();
        checkTmux();
        Optional<GetStatusResponse> status = checkSocketAndDaemon();
        // the folders of the daemon that answered, else the ones this shell's environment points at
        checkFolders(status.map(s -> List.of(Path.of(s.getConfigDir()), Path.of(s.getStateDir()),
                Path.of(s.getRuntimeDir()))).orElse(List.of(paths.configDir(), paths.stateDir(), paths.runtimeDir())));
        checkDatabase(status);
        checkAgentClis();
        checkManifestProviders(status.map(s -> Path.of(s.getConfigDir())).orElse(paths.configDir()));
        return checks;
    }

    private void add(String name, Level level, String detail, String fix) {
        checks.add(new Check(name, level, detail, fix));
    }

    private void checkJava() {
        int feature = Runtime.version().feature();
        add("java", feature >= 21 ? Level.ok : Level.fail, "Java " + Runtime.version() + " at "
                + System.getProperty("java.home"), feature >= 21 ? null : "install a JDK 21 or newer (bin/caod finds it)");
    }

    private void checkTmux() {
        Optional<String> version = run("tmux", "-V");
        if (version.isEmpty()) {
            add("tmux", Level.fail, "tmux is not on PATH", "install it: `sudo apt-get install tmux` (3.2 or newer)");
            return;
        }
        checks.add(tmuxCheck(version.get().replace("tmux", "").trim()));
    }

    /** Too old fails; 3.2–3.3 works but its server segfaults under session churn (bench/tmux-churn.sh). */
    static Check tmuxCheck(String v) {
        if (compareVersions(v, MIN_TMUX) < 0) {
            return new Check("tmux", Level.fail, "tmux " + v,
                    "caod needs tmux " + MIN_TMUX + " or newer (control mode, pane titles); upgrade it");
        }
        if (compareVersions(v, STABLE_TMUX) < 0) {
            return new Check("tmux", Level.warn, "tmux " + v + ": its server crashes now and then when sessions come"
                    + " and go, ending the agents of that session", "upgrade to tmux 3.5a; on Debian 12 add the"
                    + " bookworm-backports suite to apt's sources, then `sudo apt-get install -t bookworm-backports"
                    + " tmux` (agents already running stay on the old server until their session ends)");
        }
        return new Check("tmux", Level.ok, "tmux " + v, null);
    }

    private void checkFolders(List<Path> dirs) {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                add("folder " + dir, Level.warn, "does not exist yet", "`caod serve` creates it (mode 0700)");
                continue;
            }
            String mode = mode(dir);
            add("folder " + dir, "rwx------".equals(mode) ? Level.ok : Level.warn, "mode " + mode,
                    "rwx------".equals(mode) ? null : "make it private: `chmod 700 " + dir + "`");
        }
    }

    private Optional<GetStatusResponse> checkSocketAndDaemon() {
        if (options.tcp == null) {
            Path socket = options.socketPath();
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                add("daemon", Level.fail, "not running: no socket at " + socket,
                        "start it with `bin/caod serve` or `systemctl --user start caod`");
                return Optional.empty();
            }
            String mode = mode(socket);
            add("socket " + socket, "rw-------".equals(mode) ? Level.ok : Level.fail, "mode " + mode,
                    "rw-------".equals(mode) ? null : "restart caod; it creates the socket with mode 0600");
        }
        try (DaemonClient client = DaemonClient.connect(options)) {
            ServingStatus health = client.stub(HealthGrpc.newBlockingStub(client.channel()))
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            GetStatusResponse status = client.stub(DaemonServiceGrpc.newBlockingStub(client.channel()))
                    .getStatus(GetStatusRequest.getDefaultInstance());
            add("daemon", health == ServingStatus.SERVING ? Level.ok : Level.fail,
                    "caod " + status.getVersion() + " (pid " + status.getPid() + "), health " + health,
                    health == ServingStatus.SERVING ? null : "see the log " + paths.stateDir().resolve("logs/caod.log"));
            return Optional.of(status);
        } catch (StatusRuntimeException e) {
            add("daemon", Level.fail, "does not answer: " + e.getStatus(), "see `journalctl --user -u caod` or "
                    + paths.stateDir().resolve("logs/caod.log") + "; restart it with `bin/caod serve`");
        } catch (CliException e) {
            add("daemon", Level.fail, e.getMessage(), null);
        }
        return Optional.empty();
    }

    private void checkDatabase(Optional<GetStatusResponse> status) {
        Path db = status.map(s -> Path.of(s.getDatabasePath())).orElse(paths.defaultDatabase());
        if (!Files.exists(db)) {
            add("database " + db, Level.warn, "does not exist yet", "`caod serve` creates it");
            return;
        }
        String mode = mode(db);
        Level level = "rw-------".equals(mode) ? Level.ok : Level.warn;
        String detail = "mode " + mode + status.map(s -> ", schema v" + s.getSchemaVersion()).orElse("");
        add("database " + db, level, detail, level == Level.ok ? null : "`chmod 600 " + db + "`");
    }

    private void checkAgentClis() {
        for (AgentCli cli : AgentCli.all()) {
            Optional<Path> found = onPath(cli.binary());
            add("agent " + cli.provider(), found.isPresent() ? Level.ok : Level.warn,
                    found.map(p -> cli.binary() + " at " + p).orElse(cli.binary() + " is not on PATH"),
                    found.isPresent() ? null : cli.installHint()
                            + " (only needed to run " + cli.provider() + " agents; the daemon's PATH counts)");
        }
    }

    /** CLIs added by a manifest in the providers folder: the manifest must load and its binary must be there. */
    private void checkManifestProviders(Path configDir) {
        Path dir = configDir.resolve("providers");
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            return; // no providers folder: nothing added
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
            boolean builtIn = AgentCli.all().stream().anyMatch(c -> c.provider().equals(name)) || name.equals("demo");
            try {
                var rules = dev.caod.provider.ProviderRules.read(file);
                if (builtIn) {
                    add("provider " + name + " (override)", Level.ok, "patterns from " + file, null);
                    continue;
                }
                if (rules.launch.isEmpty()) {
                    add("provider " + name, Level.warn, file + " has no `launch:` section",
                            "add one (docs/providers.md) or remove the file");
                    continue;
                }
                String binary = rules.launch.get().command().getFirst();
                Optional<Path> found = binary.contains("/") ? Optional.of(Path.of(binary)).filter(Files::isExecutable)
                        : onPath(binary);
                add("provider " + name, found.isPresent() ? Level.ok : Level.warn,
                        found.map(p -> "from " + file + ", " + binary + " at " + p).orElse(binary + " is not found"),
                        found.isPresent() ? null : "install " + binary + " or fix `launch.command` in " + file);
            } catch (RuntimeException e) {
                add("provider " + name, Level.fail, e.getMessage(), "fix or remove " + file);
            }
        }
    }

    static Optional<Path> onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    /** Compares dotted versions like "3.3a" and "3.2" by their numeric parts. */
    static int compareVersions(String a, String b) {
        Matcher ma = Pattern.compile("\\d+").matcher(a);
        Matcher mb = Pattern.compile("\\d+").matcher(b);
        while (true) {
            boolean ha = ma.find();
            boolean hb = mb.find();
            if (!ha || !hb) {
                return Boolean.compare(ha, hb);
            }
            int c = Integer.compare(Integer.parseInt(ma.group()), Integer.parseInt(mb.group()));
            if (c != 0) {
                return c;
            }
        }
    }
}
