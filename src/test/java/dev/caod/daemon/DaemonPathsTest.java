package dev.caod.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonPathsTest {

    @TempDir
    Path tmp;

    @Test
    void caodHomeRelocatesEverything() {
        DaemonPaths paths = DaemonPaths.resolve(Map.of("CAOD_HOME", tmp.toString(), "XDG_RUNTIME_DIR", "/run/x"), "/h");
        assertEquals(tmp.resolve("config"), paths.configDir());
        assertEquals(tmp.resolve("state"), paths.stateDir());
        assertEquals(tmp.resolve("run/caod.sock"), paths.defaultSocket());
        assertEquals(tmp.resolve("state/caod.db"), paths.defaultDatabase());
    }

    @Test
    void followsXdgWhenSet() {
        DaemonPaths paths = DaemonPaths.resolve(Map.of("XDG_CONFIG_HOME", "/c", "XDG_STATE_HOME", "/s",
                "XDG_RUNTIME_DIR", tmp.toString()), "/home/u");
        assertEquals(Path.of("/c/caod"), paths.configDir());
        assertEquals(Path.of("/s/caod"), paths.stateDir());
        assertEquals(tmp.resolve("caod/caod.sock"), paths.defaultSocket());
    }

    @Test
    void defaultsUnderHomeAndFallsBackWhenRuntimeDirIsMissingOrRelative() {
        DaemonPaths paths = DaemonPaths.resolve(Map.of("XDG_RUNTIME_DIR", "/does/not/exist", "XDG_CONFIG_HOME",
                "relative/ignored"), "/home/u");
        assertEquals(Path.of("/home/u/.config/caod"), paths.configDir());
        assertEquals(Path.of("/home/u/.local/state/caod"), paths.stateDir());
        assertEquals(Path.of("/home/u/.local/state/caod/run/caod.sock"), paths.defaultSocket());
    }

    @Test
    void prepareMakesPrivateFolders() throws IOException {
        DaemonPaths paths = DaemonPaths.resolve(Map.of("CAOD_HOME", tmp.resolve("home").toString()), "/h");
        paths.prepare();
        for (Path dir : new Path[] { paths.configDir(), paths.stateDir(), paths.runtimeDir() }) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString());
        }
    }
}
