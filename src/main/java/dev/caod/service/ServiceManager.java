package dev.caod.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code caod service install|uninstall|status}: caod as a systemd user service. The steps, in an order that leaves
 * nothing half done: refuse before touching anything, write the file, then tell systemd.
 */
public final class ServiceManager {

    /** systemctl waits for the start job; a launcher that first builds caod takes a while, never this long. */
    static final Duration SYSTEMCTL_TIMEOUT = Duration.ofSeconds(120);

    private final UnitFile file;
    private final Systemctl systemctl;

    public ServiceManager(UnitFile file, Systemctl systemctl) {
        this.file = file;
        this.systemctl = systemctl;
    }

    /** The real user's unit folder and systemd, with this process's environment. */
    public static ServiceManager forHost(Map<String, String> env, Path home) {
        return new ServiceManager(UnitFile.inUserConfig(env, home),
                new Systemctl(new ProcessRunner(env, SYSTEMCTL_TIMEOUT), env, Path.of("/run/systemd/system")));
    }

    public UnitFile file() {
        return file;
    }

    /**
     * Writes the unit when it changed, reloads systemd, enables and starts caod. Nothing is written when the file
     * belongs to someone else (unless {@code force}) or when no user manager answers. Returns what happened.
     */
    public List<String> install(SystemdUnit unit, boolean force) {
        String text = unit.render();
        Optional<String> existing = file.read();
        if (existing.isPresent() && !UnitFile.writtenByCaod(existing.get()) && !force) {
            throw new ServiceException(ServiceException.Reason.REFUSED, file.path() + " exists and was not written"
                    + " by caod. Look at it; `caod service install --force` replaces it.");
        }
        systemctl.requireManager();
        List<String> notes = new ArrayList<>();
        boolean changed = existing.isEmpty() || !existing.get().equals(text);
        boolean runningOldUnit = changed && existing.isPresent()
                && systemctl.activeState().filter("active"::equals).isPresent();
        if (changed) {
            file.write(text);
            notes.add("wrote " + file.path());
        } else {
            notes.add(file.path() + " is already current");
        }
        systemctl.daemonReload();
        systemctl.enableNow();
        notes.add("enabled and started " + SystemdUnit.NAME + " (it starts with your user manager from now on)");
        if (runningOldUnit) {
            notes.add("caod was already running with the previous unit: `systemctl --user restart caod` applies the"
                    + " new one (agents keep running)");
        }
        if (systemctl.linger().filter(on -> !on).isPresent()) {
            notes.add(lingerHint());
        }
        notes.add("logs: journalctl --user -u caod -f; state: caod service status; caod status");
        return notes;
    }

    /**
     * Stops caod, disables and removes the unit. Agents keep running: their tmux server is not part of the unit.
     * Without a user manager only the unit's links and file are removed.
     */
    public List<String> uninstall(boolean force) {
        Optional<String> existing = file.read();
        if (existing.isEmpty()) {
            throw new ServiceException(ServiceException.Reason.NOT_INSTALLED, "caod is not installed as a service:"
                    + " there is no " + file.path());
        }
        if (!UnitFile.writtenByCaod(existing.get()) && !force) {
            throw new ServiceException(ServiceException.Reason.REFUSED, file.path() + " was not written by caod."
                    + " Look at it; `caod service uninstall --force` stops, disables and removes it anyway.");
        }
        List<String> notes = new ArrayList<>();
        boolean manager = systemctl.managerReachable();
        if (manager) {
            systemctl.disableNow();
            notes.add("stopped and disabled " + SystemdUnit.NAME);
        } else {
            systemctl.disableLinksOnly();
            notes.add("no systemd user manager answers: removed the unit's links, stopped nothing");
        }
        file.delete();
        notes.add("removed " + file.path());
        if (manager) {
            systemctl.daemonReload();
            systemctl.resetFailed();
        }
        notes.add("agents keep running in caod's tmux server; `caod serve` runs caod by hand again and re-adopts"
                + " them");
        return notes;
    }

    /**
     * What is installed and running. {@code expected} gives the unit install would write now, to tell whether the
     * installed file is current; when it cannot (no launcher found), its message says why.
     */
    public ServiceStatus status(Supplier<SystemdUnit> expected) {
        Optional<String> existing = file.read();
        boolean ours = existing.map(UnitFile::writtenByCaod).orElse(false);
        Boolean current = null;
        String whyNotKnown = null;
        if (existing.isPresent()) {
            try {
                current = existing.get().equals(expected.get().render());
            } catch (ServiceException e) {
                whyNotKnown = e.getMessage();
            }
        }
        boolean manager = systemctl.managerReachable();
        String enabled = existing.isEmpty() ? "not-found" : systemctl.enabledState().orElse(null);
        String active = manager ? systemctl.activeState().orElse(null) : null;
        Boolean linger = systemctl.linger().orElse(null);

        List<String> hints = new ArrayList<>();
        if (existing.isEmpty()) {
            hints.add("not installed: `caod service install` writes, enables and starts it");
        } else if (!ours) {
            hints.add(file.path() + " was not written by caod; `caod service install --force` replaces it");
        } else if (current == null) {
            hints.add("cannot tell whether the unit is current: " + whyNotKnown);
        } else if (!current) {
            hints.add("the unit differs from what this caod would write: `caod service install` rewrites it, then"
                    + " `systemctl --user restart caod` (agents keep running)");
        }
        if (!manager) {
            hints.add(systemctl.noManager().getMessage());
        } else if (existing.isPresent() && !"active".equals(active)) {
            hints.add("caod is not running: `systemctl --user start caod`; why it stopped: `journalctl --user -u caod"
                    + " -e`" + ("failed".equals(active) ? "; after a crash loop, `systemctl --user reset-failed caod`"
                            : ""));
        }
        if (Boolean.FALSE.equals(linger)) {
            hints.add(lingerHint());
        }
        return new ServiceStatus(file.path().toString(), existing.isPresent(), existing.isPresent() ? ours : null,
                current, manager, enabled, active, linger, hints);
    }

    private String lingerHint() {
        return "linger is off: caod stops when your last session ends and starts only when you log in. On a"
                + " headless machine run `sudo loginctl enable-linger " + systemctl.user() + "`";
    }
}
