package dev.caod.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install, uninstall and status against a scripted systemctl (what was asked, in which order), and against the
 * real systemctl with no user manager to reach. Everything happens under a temporary XDG_CONFIG_HOME.
 */
class ServiceManagerTest {

    @TempDir
    Path dir;

    /** Answers {@code systemctl --user <args>} and {@code loginctl …} from a table; records every call. */
    static final class ScriptedSystemctl implements CommandRunner {
        final List<String> calls = new ArrayList<>();
        final Map<String, Outcome> answers = new HashMap<>();

        ScriptedSystemctl answer(String args, int code, String stdout, String stderr) {
            answers.put(args, new Outcome(code, stdout, stderr));
            return this;
        }

        @Override
        public Outcome run(List<String> argv) {
            String args = String.join(" ", argv.subList(argv.getFirst().equals("systemctl") ? 2 : 0, argv.size()));
            calls.add(args);
            return answers.getOrDefault(args, new Outcome(0, "", ""));
        }

        List<String> changes() {
            return calls.stream().filter(c -> !c.startsWith("is-") && !c.startsWith("loginctl")).toList();
        }
    }

    ScriptedSystemctl systemd;
    UnitFile file;
    SystemdUnit unit;

    @BeforeEach
    void setUp() throws Exception {
        systemd = new ScriptedSystemctl().answer("is-system-running", 1, "degraded\n", "")
                .answer("is-active caod.service", 0, "active\n", "")
                .answer("is-enabled caod.service", 0, "enabled\n", "")
                .answer("loginctl show-user u --property=Linger --value", 0, "no\n", "");
        file = UnitFile.inUserConfig(Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString()), dir);
        Path caod = Files.createDirectories(dir.resolve("bin")).resolve("caod");
        Files.writeString(caod, "#!/bin/sh\n");
        Files.setPosixFilePermissions(caod, PosixFilePermissions.fromString("rwxr-xr-x"));
        unit = SystemdUnit.forLauncher(caod, Map.of());
    }

    ServiceManager manager() {
        return new ServiceManager(file, new Systemctl(systemd, Map.of("USER", "u"), dir.resolve("no-systemd")));
    }

    @Test
    void installWritesTheUnitThenReloadsEnablesAndStarts() {
        List<String> notes = manager().install(unit, false);

        assertEquals(unit.render(), file.read().orElseThrow());
        assertEquals(List.of("daemon-reload", "enable --now caod.service"), systemd.changes());
        assertTrue(notes.stream().anyMatch(n -> n.contains("enable-linger u")), "linger is off: " + notes);
    }

    @Test
    void installingAgainKeepsACurrentFileAndTellsWhenARunningServiceUsesAnOldOne() {
        manager().install(unit, false);
        List<String> again = manager().install(unit, false);
        assertTrue(again.getFirst().endsWith("is already current"), again.toString());

        file.write(unit.render().replace("RestartSec=5", "RestartSec=1")); // an older caod's unit
        List<String> upgraded = manager().install(unit, false);
        assertEquals(unit.render(), file.read().orElseThrow());
        assertTrue(upgraded.stream().anyMatch(n -> n.contains("systemctl --user restart caod")), upgraded.toString());
    }

    @Test
    void aUnitCaodDidNotWriteIsNeitherReplacedNorRemovedWithoutForce() {
        String theirs = "[Service]\nExecStart=/opt/caod/bin/caod serve\n";
        file.write(theirs);

        ServiceException install = assertThrows(ServiceException.class, () -> manager().install(unit, false));
        assertEquals(ServiceException.Reason.REFUSED, install.reason());
        assertTrue(install.getMessage().contains("--force"), install.getMessage());
        ServiceException uninstall = assertThrows(ServiceException.class, () -> manager().uninstall(false));
        assertEquals(ServiceException.Reason.REFUSED, uninstall.reason());
        assertEquals(theirs, file.read().orElseThrow());
        assertEquals(List.of(), systemd.changes(), "systemd was not touched");

        manager().install(unit, true);
        assertEquals(unit.render(), file.read().orElseThrow());
    }

    @Test
    void withoutAUserManagerInstallWritesNothing() {
        systemd.answer("is-system-running", 1, "offline\n", "Failed to connect to bus: No medium found\n");

        ServiceException e = assertThrows(ServiceException.class, () -> manager().install(unit, false));

        assertTrue(e.getMessage().startsWith("no systemd user manager"), e.getMessage());
        assertTrue(e.getMessage().contains("caod serve") && e.getMessage().contains("supervisor"), e.getMessage());
        assertTrue(file.read().isEmpty());
    }

    @Test
    void whenSystemdRunsButThisShellHasNoManagerTheFixIsLingerAndTheRuntimeDir() throws Exception {
        systemd.answer("is-system-running", 1, "offline\n", "");
        Path booted = Files.createDirectories(dir.resolve("run-systemd-system"));
        ServiceManager m = new ServiceManager(file, new Systemctl(systemd, Map.of("USER", "u"), booted));

        ServiceException e = assertThrows(ServiceException.class, () -> m.install(unit, false));

        assertTrue(e.getMessage().contains("XDG_RUNTIME_DIR=<unset>"), e.getMessage());
        assertTrue(e.getMessage().contains("loginctl enable-linger u"), e.getMessage());
    }

    @Test
    void theRealSystemctlWithNoManagerToReachSaysSoClearly() throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("empty-runtime"));
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", dir.toString(), "XDG_CONFIG_HOME", dir.resolve("config").toString(),
                "XDG_RUNTIME_DIR", runtime.toString());
        CommandRunner real = new ProcessRunner(env, Duration.ofSeconds(60));
        Assumptions.assumeTrue(real.run(List.of("systemctl", "--version")).ok(), "systemctl is not installed");
        // an empty runtime folder and no bus address: no user manager is reachable, even on a systemd machine
        ServiceManager m = new ServiceManager(file, new Systemctl(real, env, Path.of("/run/systemd/system")));

        ServiceException e = assertThrows(ServiceException.class, () -> m.install(unit, false));

        assertEquals(ServiceException.Reason.FAILED, e.reason());
        assertTrue(e.getMessage().startsWith("no systemd user manager"), e.getMessage());
        assertTrue(e.getMessage().contains("caod serve") || e.getMessage().contains("enable-linger"), e.getMessage());
        assertTrue(file.read().isEmpty());
        assertFalse(m.status(() -> unit).managerReachable());
    }

    @Test
    void aFailingSystemctlCommandIsNamedWithWhatItSaid() {
        systemd.answer("enable --now caod.service", 1, "", "Job for caod.service failed because the control process"
                + " exited with error code.\n");

        ServiceException e = assertThrows(ServiceException.class, () -> manager().install(unit, false));

        assertTrue(e.getMessage().startsWith("`systemctl --user enable --now caod.service` failed: Job for"),
                e.getMessage());
        assertTrue(e.getMessage().contains("journalctl --user -u caod"), e.getMessage());
    }

    @Test
    void uninstallStopsDisablesAndRemovesButAgentsAreNotInTheUnit() {
        manager().install(unit, false);
        systemd.calls.clear();

        List<String> notes = manager().uninstall(false);

        assertTrue(file.read().isEmpty());
        assertEquals(List.of("disable --now caod.service", "daemon-reload", "reset-failed caod.service"),
                systemd.changes());
        assertTrue(notes.getLast().contains("agents keep running"), notes.toString());
    }

    @Test
    void uninstallWithoutAManagerStillRemovesTheLinksAndTheFile() {
        manager().install(unit, false);
        systemd.calls.clear();
        systemd.answer("is-system-running", 1, "offline\n", "");

        manager().uninstall(false);

        assertTrue(file.read().isEmpty());
        assertEquals(List.of("disable caod.service"), systemd.changes());
    }

    @Test
    void uninstallingWhatIsNotThereIsNotFound() {
        ServiceException e = assertThrows(ServiceException.class, () -> manager().uninstall(false));
        assertEquals(ServiceException.Reason.NOT_INSTALLED, e.reason());
    }

    @Test
    void statusTellsWhetherTheFileIsCaodsCurrentEnabledAndRunning() {
        ServiceStatus missing = manager().status(() -> unit);
        assertFalse(missing.installed());
        assertFalse(missing.healthy());
        assertEquals("not-found", missing.enabled());

        manager().install(unit, false);
        ServiceStatus installed = manager().status(() -> unit);
        assertTrue(installed.healthy(), installed.toString());
        assertTrue(installed.writtenByCaod());
        assertTrue(installed.current());
        assertEquals("enabled", installed.enabled());
        assertEquals(Boolean.FALSE, installed.linger());

        file.write(unit.render().replace("RestartSec=5", "RestartSec=1"));
        systemd.answer("is-active caod.service", 3, "failed\n", "");
        ServiceStatus outdated = manager().status(() -> unit);
        assertFalse(outdated.current());
        assertFalse(outdated.healthy());
        assertTrue(outdated.hints().stream().anyMatch(h -> h.contains("reset-failed")), outdated.hints().toString());
    }

    @Test
    void statusStillAnswersWhenItCannotRenderTheExpectedUnit() {
        manager().install(unit, false);
        ServiceStatus s = manager().status(() -> {
            throw new ServiceException(ServiceException.Reason.FAILED, "no launcher");
        });
        assertNull(s.current());
        assertTrue(s.hints().stream().anyMatch(h -> h.contains("no launcher")), s.hints().toString());
    }

    @Test
    void lingerIsOffForAUserLogindDoesNotKnow() {
        systemd.answer("loginctl show-user u --property=Linger --value", 1, "",
                "Failed to get user: User ID 1000 is not logged in or lingering\n");
        assertEquals(Boolean.FALSE, manager().status(() -> unit).linger());
        systemd.answer("loginctl show-user u --property=Linger --value", 1, "",
                "System has not been booted with systemd as init system (PID 1). Can't operate.\n");
        assertNull(manager().status(() -> unit).linger());
    }
}
