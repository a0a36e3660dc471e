package dev.caod.tmux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Where the command that may start caod's tmux server runs: a systemd scope or nothing, and when it is decided. */
class ServerPlacementTest {

    private static final ServerPlacement.Probe NEVER_ASKED = () -> {
        throw new AssertionError("the probe must not run in this mode");
    };

    @Test
    void autoWithASystemdUserManagerRunsTheServerInItsOwnScope() {
        List<String> prefix = new ServerPlacement(ServerPlacement.Mode.AUTO, "caod", () -> true).prefix();

        assertEquals(List.of("systemd-run", "--user", "--scope", "--quiet", "--collect"), prefix.subList(0, 5));
        assertTrue(prefix.get(5).matches("--unit=caod-tmux-caod-[0-9a-f]{8}\\.scope"), prefix.toString());
        assertTrue(prefix.get(6).startsWith("--description="), prefix.toString());
        assertEquals("--", prefix.getLast(), "the tmux argv follows the options untouched");
    }

    @Test
    void autoWithoutSystemdAddsNothingBecauseTmuxDaemonizesIntoItsOwnSession() {
        assertEquals(List.of(), new ServerPlacement(ServerPlacement.Mode.AUTO, "caod", () -> false).prefix());
    }

    @Test
    void theProbeRunsOnceAndItsAnswerIsKept() {
        AtomicInteger asked = new AtomicInteger();
        ServerPlacement placement = new ServerPlacement(ServerPlacement.Mode.AUTO, "caod", () -> {
            asked.incrementAndGet();
            return true;
        });
        for (int i = 0; i < 3; i++) {
            assertFalse(placement.prefix().isEmpty());
        }
        assertEquals(1, asked.get());
    }

    @Test
    void forcedModesNeverProbe() {
        assertEquals("systemd-run",
                new ServerPlacement(ServerPlacement.Mode.SYSTEMD, "caod", NEVER_ASKED).prefix().getFirst());
        assertEquals(List.of(), new ServerPlacement(ServerPlacement.Mode.NONE, "caod", NEVER_ASKED).prefix());
    }

    @Test
    void everyStartGetsItsOwnUnitName() {
        ServerPlacement placement = new ServerPlacement(ServerPlacement.Mode.SYSTEMD, "caod", NEVER_ASKED);
        assertNotEquals(placement.prefix().get(5), placement.prefix().get(5));
    }

    @Test
    void unitNamesStayValidForAnySocketName() {
        assertEquals("caod-tmux-my_sock_.._x-1a2b3c4d.scope", ServerPlacement.unitName("my sock/../x", "1a2b3c4d"));
        assertEquals("caod-tmux-bench-1-ab.scope", ServerPlacement.unitName("bench-1", "ab"));
        assertTrue(ServerPlacement.unitName("x".repeat(500), "ab").length() < 130);
    }

    @Test
    void hostProbeStartsNothingWhereNoUserManagerAdvertisesItself(@TempDir Path runtime) {
        // systemd-run may be on this PATH: without a manager's socket or bus it is not even tried
        assertFalse(ServerPlacement.probeHost(Map.of("PATH", "/usr/bin:/bin", "XDG_RUNTIME_DIR", runtime.toString())));
        assertFalse(ServerPlacement.probeHost(Map.of("PATH", "/nowhere")));
    }

    @Test
    void aUserManagerIsAdvertisedByItsPrivateSocketOrTheSessionBus(@TempDir Path runtime) throws Exception {
        assertFalse(ServerPlacement.userBusAdvertised(Map.of("XDG_RUNTIME_DIR", runtime.toString())));
        assertFalse(ServerPlacement.userBusAdvertised(Map.of("XDG_RUNTIME_DIR", "relative/dir")));
        Files.createDirectories(runtime.resolve("systemd"));
        Files.createFile(runtime.resolve("systemd/private"));
        assertTrue(ServerPlacement.userBusAdvertised(Map.of("XDG_RUNTIME_DIR", runtime.toString())));
        assertTrue(ServerPlacement.userBusAdvertised(Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1/bus")));
    }

    @Test
    void programsAreFoundOnPathOnlyWhenExecutable(@TempDir Path dir) throws Exception {
        Path tool = Files.createFile(dir.resolve("systemd-run"));
        assertNull(ServerPlacement.onPath(dir.toString(), "systemd-run"));
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(tool, ServerPlacement.onPath("/nowhere::" + dir, "systemd-run"));
        assertNull(ServerPlacement.onPath(null, "systemd-run"));
    }

    @Test
    void theSettingAcceptsItsDocumentedValuesAndDefaultsToAuto() {
        assertEquals(ServerPlacement.Mode.AUTO, settings(Map.of()).serverScope());
        assertEquals(ServerPlacement.Mode.NONE, settings(Map.of("caod.tmux.server-scope", "none")).serverScope());
        assertEquals(ServerPlacement.Mode.SYSTEMD,
                settings(Map.of("caod.tmux.server-scope", "systemd")).serverScope());
    }

    private static TmuxSettings settings(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TmuxSettings.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(TmuxSettings.class);
    }
}
