package dev.caod.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.caod.cli.ExitCode;

/** {@code caod service} through the real command line, limited to what cannot touch this user's systemd folder. */
class ServiceCommandTest {

    static dev.caod.cli.CaodCliTest.Run caod(String... args) {
        return dev.caod.cli.CaodCliTest.caod(args);
    }

    @Test
    void dryRunPrintsTheUnitAndWhereItWouldGo(@TempDir Path dir) throws Exception {
        Path caod = dir.resolve("caod");
        Files.writeString(caod, "#!/bin/sh\n");
        Files.setPosixFilePermissions(caod, PosixFilePermissions.fromString("rwxr-xr-x"));

        var r = caod("service", "install", "--dry-run", "--exec", caod.toString());

        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().startsWith("# would write ") && r.out().contains("/systemd/user/caod.service"), r.out());
        assertTrue(r.out().contains("\nExecStart=" + caod + " serve\n"), r.out());
    }

    @Test
    void aLauncherThatIsNotThereIsRefusedBeforeAnythingIsTouched(@TempDir Path dir) {
        var r = caod("service", "install", "--exec", dir.resolve("missing/caod").toString());

        assertEquals(ExitCode.FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("is not an executable file"), r.err());
    }

    @Test
    void helpListsTheThreeSubcommands() {
        var r = caod("service", "--help");
        assertEquals(ExitCode.OK, r.code());
        assertTrue(r.out().contains("install") && r.out().contains("uninstall") && r.out().contains("status"),
                r.out());
    }
}
