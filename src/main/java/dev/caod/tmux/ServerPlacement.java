package dev.caod.tmux;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Where caod's tmux server runs, so that stopping or restarting caod never takes its agents along.
 *
 * <p>tmux daemonizes its server (fork, then {@code daemon(3)}, which calls {@code setsid}): the server leaves caod's
 * process group and session on its own, so a signal to caod's group or a closed terminal never reaches it. Without
 * systemd nothing more is needed, hence no prefix (not even {@code setsid}). Under systemd the server would still sit
 * in caod's cgroup, and stopping {@code caod.service} kills the processes left in that cgroup. So when a systemd user
 * manager is reachable, the one command that may start the server runs through {@code systemd-run --user --scope}:
 * the server then lives in a transient scope unit of its own, outside caod's unit.
 */
public final class ServerPlacement {

    private static final Logger LOG = Logger.getLogger(ServerPlacement.class);

    /** {@code caod.tmux.server-scope}. */
    public enum Mode {
        /** a systemd scope when a systemd user manager answers, else nothing */
        AUTO,
        /** always a systemd scope; starting a session fails when systemd-run does */
        SYSTEMD,
        /** never: the server stays in whatever cgroup caod runs in */
        NONE
    }

    /** Answers whether {@code systemd-run --user --scope} works here; asked at most once per placement. */
    @FunctionalInterface
    public interface Probe {
        boolean systemdUserManagerReachable();
    }

    private final Mode mode;
    private final String socketName;
    private final Probe probe;
    private volatile Boolean systemd; // the probe's cached answer

    public ServerPlacement(Mode mode, String socketName, Probe probe) {
        this.mode = mode;
        this.socketName = socketName;
        this.probe = probe;
    }

    public static ServerPlacement of(TmuxSettings settings) {
        return new ServerPlacement(settings.serverScope(), settings.socketName(),
                () -> probeHost(System.getenv()));
    }

    /**
     * The argv to put before a tmux command that may start the server ({@code new-session}); empty when none is
     * needed. A fresh unit name each time: when the server already runs, the scope holds only the short-lived tmux
     * client and is collected as soon as it exits.
     */
    public List<String> prefix() {
        if (!inSystemdScope()) {
            return List.of();
        }
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
        return List.of("systemd-run", "--user", "--scope", "--quiet", "--collect",
                "--unit=" + unitName(socketName, suffix), "--description=caod agents (tmux -L " + socketName + ")",
                "--");
    }

    /** Whether the server is (to be) started in its own systemd scope. */
    public boolean inSystemdScope() {
        return switch (mode) {
            case NONE -> false;
            case SYSTEMD -> true;
            case AUTO -> probed();
        };
    }

    private boolean probed() {
        Boolean known = systemd;
        if (known == null) {
            synchronized (this) {
                known = systemd;
                if (known == null) {
                    known = probe.systemdUserManagerReachable();
                    systemd = known;
                    LOG.infof(known ? "tmux server placement: its own systemd scope (caod-tmux-%s-*.scope)"
                            : "tmux server placement: its own session (no systemd user manager; tmux daemonizes)",
                            socketName);
                }
            }
        }
        return known;
    }

    /** A valid unit name for any socket name: unit names allow only ASCII letters, digits and {@code :_.-}. */
    static String unitName(String socket, String suffix) {
        String safe = socket.replaceAll("[^A-Za-z0-9:_.-]", "_");
        if (safe.length() > 100) {
            safe = safe.substring(0, 100);
        }
        return "caod-tmux-" + safe + "-" + suffix + ".scope";
    }

    /**
     * The real check: {@code systemd-run} is on PATH, a user manager's socket exists (no process is started on
     * machines without one, e.g. containers), and one trial scope actually runs (a socket can outlive its manager).
     */
    static boolean probeHost(Map<String, String> env) {
        if (onPath(env.get("PATH"), "systemd-run") == null || !userBusAdvertised(env)) {
            return false;
        }
        try {
            Process trial = new ProcessBuilder("systemd-run", "--user", "--scope", "--quiet", "--collect", "--",
                    "true").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!trial.waitFor(10, TimeUnit.SECONDS)) {
                trial.destroyForcibly();
                return false;
            }
            return trial.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The places systemctl and systemd-run look for the user manager: its private socket, the user bus. */
    static boolean userBusAdvertised(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()
                && (Files.exists(Path.of(runtime, "systemd", "private")) || Files.exists(Path.of(runtime, "bus")))) {
            return true;
        }
        String bus = env.get("DBUS_SESSION_BUS_ADDRESS");
        return bus != null && !bus.isBlank();
    }

    static Path onPath(String path, String program) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
