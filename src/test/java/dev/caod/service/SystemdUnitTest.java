package dev.caod.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit text caod writes, where it goes, and what systemd itself says about it. */
class SystemdUnitTest {

    @TempDir
    Path dir;

    /** An executable stand-in for bin/caod: systemd-analyze checks that ExecStart's program exists. */
    Path launcher(String relative) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** section → key → value, the way systemd reads it (comments and blank lines skipped). */
    static Map<String, Map<String, String>> parse(String unit) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : unit.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
            } else {
                int eq = line.indexOf('=');
                current.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + "\n" + b);
            }
        }
        return sections;
    }

    @Test
    void theUnitRunsTheLauncherAndRestartsOnlyOnFailure() throws Exception {
        Path caod = launcher("caod/bin/caod");
        String text = SystemdUnit.forLauncher(caod, Map.of()).render();
        Map<String, Map<String, String>> unit = parse(text);

        assertTrue(text.startsWith(SystemdUnit.MARKER + "\n"), "the marker is how caod knows the file is its own");
        Map<String, String> u = unit.get("Unit");
        assertEquals("300", u.get("StartLimitIntervalSec"), "start limits belong in [Unit]");
        assertEquals("5", u.get("StartLimitBurst"));
        Map<String, String> s = unit.get("Service");
        assertEquals(caod + " serve", s.get("ExecStart"));
        assertEquals("on-failure", s.get("Restart"));
        assertEquals("5", s.get("RestartSec"));
        assertEquals("10", s.get("RestartPreventExitStatus"), "`caod serve` refusing to start is not retried");
        assertEquals("mixed", s.get("KillMode"));
        assertTrue(Integer.parseInt(s.get("TimeoutStopSec")) > 10, "longer than quarkus.shutdown.timeout");
        assertEquals("default.target", unit.get("Install").get("WantedBy"));
        assertEquals("CAOD_NO_BUILD=1", s.get("Environment"), "no variable is carried that the user did not set");
    }

    @Test
    void onlyCaodsFolderVariablesAreCarriedAndNeverSecrets() throws Exception {
        Path caod = launcher("bin/caod");
        Map<String, String> env = Map.of("CAOD_HOME", "/srv/caod", "XDG_STATE_HOME", "/data/state",
                "XDG_CONFIG_HOME", "relative/ignored", "ANTHROPIC_API_KEY", "sk-secret", "HOME", "/home/u");
        String text = SystemdUnit.forLauncher(caod, env).render();

        assertEquals("CAOD_NO_BUILD=1\n\"CAOD_HOME=/srv/caod\"\n\"XDG_STATE_HOME=/data/state\"",
                parse(text).get("Service").get("Environment"));
        assertFalse(text.contains("sk-secret"), text);
        assertFalse(text.contains("relative/ignored"), "relative XDG values are invalid, caod ignores them too");
    }

    @Test
    void blanksQuotesAndPercentInPathsAreEscapedForSystemd() throws Exception {
        Path caod = launcher("my tools/100%/caod");
        String text = SystemdUnit.forLauncher(caod, Map.of("CAOD_HOME", "/srv/a \"b\"%h")).render();
        Map<String, String> s = parse(text).get("Service");

        assertEquals("\"" + dir + "/my tools/100%%/caod\" serve", s.get("ExecStart"));
        assertEquals("CAOD_NO_BUILD=1\n\"CAOD_HOME=/srv/a \\\"b\\\"%%h\"", s.get("Environment"));
        assertVerifiedBySystemd(text); // systemd finds the program: the quoting round-trips
    }

    @Test
    void whatSystemdWouldReadDifferentlyIsRefused() throws Exception {
        Path caod = launcher("bin/caod");
        ServiceException lineBreak = assertThrows(ServiceException.class,
                () -> SystemdUnit.forLauncher(caod, Map.of("CAOD_HOME", "/x\nExecStartPre=/bin/evil")).render());
        assertTrue(lineBreak.getMessage().contains("line breaks"), lineBreak.getMessage());
        // systemd expands $ in arguments (argv[0] too) but not in the program's path: no escaping is right for both
        ServiceException dollar = assertThrows(ServiceException.class,
                () -> SystemdUnit.forLauncher(launcher("ca$h/caod"), Map.of()).render());
        assertTrue(dollar.getMessage().contains("'$'"), dollar.getMessage());
        assertThrows(ServiceException.class,
                () -> new SystemdUnit(List.of("bin/caod", "serve"), new LinkedHashMap<>()));
    }

    @Test
    void theGeneratedUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path caod = launcher("caod/bin/caod");
        assertVerifiedBySystemd(SystemdUnit.forLauncher(caod, Map.of("CAOD_HOME", dir.toString())).render());
    }

    /**
     * Writes the unit into a throw-away XDG_CONFIG_HOME and runs {@code systemd-analyze --user verify} on it, which
     * loads it as the user manager would (syntax, known keys, ExecStart's program, the install target) without
     * needing a running systemd. Unknown keys only warn, so the output must not mention the unit at all.
     */
    void assertVerifiedBySystemd(String text) throws Exception {
        Path analyzer = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "systemd-analyze")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        Assumptions.assumeTrue(analyzer != null, "systemd-analyze is not installed");
        Path config = dir.resolve("xdg-config");
        UnitFile file = UnitFile.inUserConfig(Map.of("XDG_CONFIG_HOME", config.toString()), dir);
        file.write(text);
        Path runtime = Files.createDirectories(dir.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString(),
                "XDG_CONFIG_HOME", config.toString(), "XDG_RUNTIME_DIR", runtime.toString());

        CommandRunner.Outcome o = new ProcessRunner(env, Duration.ofSeconds(60))
                .run(List.of(analyzer.toString(), "--user", "verify", file.path().toString()));

        assertEquals(0, o.exitCode(), o.toString());
        assertFalse((o.stdout() + o.stderr()).contains(SystemdUnit.NAME), "systemd-analyze warned: " + o);
    }

    @Test
    void theUnitGoesToTheUsersSystemdFolder() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/cfg/systemd/user/caod.service"),
                UnitFile.inUserConfig(Map.of("XDG_CONFIG_HOME", "/cfg"), home).path());
        assertEquals(Path.of("/home/u/.config/systemd/user/caod.service"), UnitFile.inUserConfig(Map.of(), home).path());
        assertEquals(Path.of("/home/u/.config/systemd/user/caod.service"),
                UnitFile.inUserConfig(Map.of("XDG_CONFIG_HOME", "rel"), home).path());
    }

    @Test
    void writingIsAtomicAndWorldReadable() throws Exception {
        UnitFile file = UnitFile.inUserConfig(Map.of("XDG_CONFIG_HOME", dir.toString()), dir);
        file.write("first\n");
        file.write("second\n");

        assertEquals("second\n", file.read().orElseThrow());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        try (var left = Files.list(file.path().getParent())) {
            assertEquals(List.of(file.path()), left.toList(), "no temporary file is left behind");
        }
        file.delete();
        assertTrue(file.read().isEmpty());
    }

    @Test
    void onlyFilesWithTheMarkerAreCaods() throws Exception {
        assertTrue(UnitFile.writtenByCaod(SystemdUnit.forLauncher(launcher("bin/caod"), Map.of()).render()));
        assertFalse(UnitFile.writtenByCaod("[Service]\nExecStart=/usr/bin/caod serve\n"));
        assertFalse(UnitFile.writtenByCaod("# my notes\n" + SystemdUnit.MARKER + "\n"));
    }
}
