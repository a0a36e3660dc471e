package dev.caod.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The user's systemd manager, through {@code systemctl --user} and {@code loginctl}. Every failure becomes a
 * {@link ServiceException} that says what is wrong and what to do.
 */
public final class Systemctl {

    /** What {@code is-system-running} prints when it reached a manager (it exits non-zero for most of them). */
    private static final Set<String> MANAGER_STATES = Set.of("initializing", "starting", "running", "degraded",
            "maintenance", "stopping");

    private final CommandRunner runner;
    private final Map<String, String> env;
    private final Path systemdRunDir;

    /**
     * @param env the environment the commands run with, used to explain why no manager answers
     * @param systemdRunDir {@code /run/systemd/system}: it exists exactly when systemd is the init system
     */
    public Systemctl(CommandRunner runner, Map<String, String> env, Path systemdRunDir) {
        this.runner = runner;
        this.env = env;
        this.systemdRunDir = systemdRunDir;
    }

    /** Whether a systemd user manager answers this user's systemctl. */
    public boolean managerReachable() {
        CommandRunner.Outcome o = runner.run(List.of("systemctl", "--user", "is-system-running"));
        return MANAGER_STATES.contains(o.stdout().strip());
    }

    public void requireManager() {
        if (!managerReachable()) {
            throw noManager();
        }
    }

    /** Why no manager answers, and the fix, which depends on whether systemd runs at all. */
    ServiceException noManager() {
        if (!Files.isDirectory(systemdRunDir)) {
            return new ServiceException(ServiceException.Reason.FAILED, "no systemd user manager: this machine does"
                    + " not run systemd (a container, WSL without systemd, another init system). Run `caod serve`"
                    + " under your own supervisor instead; agents survive its restarts as long as it does not kill"
                    + " tmux's process group or session (docs/service.md).");
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        return new ServiceException(ServiceException.Reason.FAILED, "no systemd user manager reachable from this"
                + " shell (XDG_RUNTIME_DIR=" + (runtime == null || runtime.isBlank() ? "<unset>" : runtime) + ")."
                + " Log in as this user through ssh or a desktop session (su and sudo do not start one); on a"
                + " headless machine run `sudo loginctl enable-linger " + user() + "` and"
                + " `export XDG_RUNTIME_DIR=/run/user/$(id -u)`, then retry.");
    }

    public void daemonReload() {
        require("daemon-reload");
    }

    public void enableNow() {
        require("enable", "--now", SystemdUnit.NAME);
    }

    /** Stops caod and removes it from login; agents keep running (their tmux server is not in the unit). */
    public void disableNow() {
        require("disable", "--now", SystemdUnit.NAME);
    }

    /** Without a manager systemctl can still remove the unit's links; nothing is stopped. */
    public void disableLinksOnly() {
        require("disable", SystemdUnit.NAME);
    }

    /** Forgets a failed state and the start-limit counter; its own failure does not matter. */
    public void resetFailed() {
        runner.run(List.of("systemctl", "--user", "reset-failed", SystemdUnit.NAME));
    }

    /** {@code enabled}, {@code disabled}, {@code not-found} …; empty when systemctl could not tell. */
    public Optional<String> enabledState() {
        return word(runner.run(List.of("systemctl", "--user", "is-enabled", SystemdUnit.NAME)));
    }

    /** {@code active}, {@code inactive}, {@code failed}, {@code activating} …; empty when no manager answers. */
    public Optional<String> activeState() {
        return word(runner.run(List.of("systemctl", "--user", "is-active", SystemdUnit.NAME)));
    }

    /**
     * Whether the user's manager keeps running without a login session (so caod starts at boot and survives
     * logout); empty when logind cannot tell.
     */
    public Optional<Boolean> linger() {
        CommandRunner.Outcome o = runner.run(List.of("loginctl", "show-user", user(), "--property=Linger",
                "--value"));
        String value = o.stdout().strip();
        if (o.ok() && (value.equals("yes") || value.equals("no"))) {
            return Optional.of(value.equals("yes"));
        }
        // logind knows only users that are logged in or lingering: not known while we ask means not lingering
        return o.stderr().contains("not logged in or lingering") ? Optional.of(false) : Optional.empty();
    }

    public String user() {
        String user = env.get("USER");
        return user != null && !user.isBlank() ? user : System.getProperty("user.name");
    }

    private static Optional<String> word(CommandRunner.Outcome o) {
        String w = o.stdout().strip();
        // is-enabled/is-active print their answer even when they exit non-zero ("disabled", "inactive")
        return w.isEmpty() || w.contains(" ") ? Optional.empty() : Optional.of(w);
    }

    private void require(String... args) {
        List<String> argv = new ArrayList<>(List.of("systemctl", "--user"));
        argv.addAll(List.of(args));
        CommandRunner.Outcome o = runner.run(argv);
        if (o.ok()) {
            return;
        }
        String said = o.said();
        if (o.exitCode() == CommandRunner.Outcome.NOT_STARTED && said.startsWith("cannot run")) {
            throw new ServiceException(ServiceException.Reason.FAILED, "systemctl is not installed: " + said
                    + ". Without systemd, run `caod serve` under your own supervisor (docs/service.md).");
        }
        if (said.contains("Failed to connect to bus") || said.contains("not been booted with systemd")) {
            throw noManager();
        }
        String command = String.join(" ", argv);
        if (said.contains("does not exist") || said.contains("not found")) {
            throw new ServiceException(ServiceException.Reason.FAILED, "`" + command + "` failed: " + said
                    + ". Your user manager does not see the unit file: it looks in ~/.config/systemd/user unless"
                    + " its own XDG_CONFIG_HOME says otherwise (this shell has XDG_CONFIG_HOME="
                    + env.getOrDefault("XDG_CONFIG_HOME", "<unset>") + "); `systemctl --user show-environment`"
                    + " shows its environment.");
        }
        throw new ServiceException(ServiceException.Reason.FAILED, "`" + command + "` failed: " + said
                + ". See `systemctl --user status caod` and `journalctl --user -u caod -e`.");
    }
}
