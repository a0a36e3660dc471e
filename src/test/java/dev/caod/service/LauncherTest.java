package dev.caod.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which program the unit's ExecStart runs. */
class LauncherTest {

    @TempDir
    Path root;

    Path executable(String relative) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    static Path find(Path explicit, Map<String, String> properties, String processCommand) {
        return Launcher.find(explicit, properties::get, Optional.ofNullable(processCommand));
    }

    @Test
    void theCheckoutsLauncherIsFoundFromTheJarItStarted() throws Exception {
        Path launcher = executable("bin/caod");
        Path jar = executable("target/quarkus-app/quarkus-run.jar");

        assertEquals(launcher, find(null, Map.of("java.class.path", jar.toString()), "/usr/bin/java"));
    }

    @Test
    void anExplicitPathOrTheLaunchersPropertyWins() throws Exception {
        Path other = executable("opt/caod");
        Path jar = executable("target/quarkus-app/quarkus-run.jar");
        executable("bin/caod");

        assertEquals(other, find(other, Map.of("java.class.path", jar.toString()), null));
        assertEquals(other, find(null, Map.of("caod.launcher", other.toString(), "java.class.path", jar.toString()),
                null));
    }

    @Test
    void aNativeImageRunsItself() throws Exception {
        Path binary = executable("caod");
        assertEquals(binary, find(null, Map.of("org.graalvm.nativeimage.imagecode", "runtime"), binary.toString()));
    }

    @Test
    void withoutALauncherTheUserIsAskedToNameOne() throws Exception {
        ServiceException e = assertThrows(ServiceException.class,
                () -> find(null, Map.of("java.class.path", "/ide/classes:/m2/picocli.jar"), "/usr/bin/java"));
        assertTrue(e.getMessage().contains("--exec"), e.getMessage());

        Path notExecutable = Files.writeString(root.resolve("caod.txt"), "");
        ServiceException bad = assertThrows(ServiceException.class, () -> find(notExecutable, Map.of(), null));
        assertTrue(bad.getMessage().contains("not an executable file"), bad.getMessage());
    }
}
