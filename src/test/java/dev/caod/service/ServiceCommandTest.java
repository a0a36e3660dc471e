package dev.caod.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.caod.cli.CaodCli;
import dev.caod.cli.ExitCode;

/** {@code caod service} through the real command line, limited to what cannot touch this user's systemd folder. */
class ServiceCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run caod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CaodCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void dryRunPrintsTheUnitAndWhereItWouldGo(@TempDir Path dir) throws Exception {
        Path caod = dir.resolve("caod");
        Files.writeString(caod, "#!/bin/sh\n");
        Files.setPosixFilePermissions(caod, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run r = caod("service", "install", "--dry-run", "--exec", caod.toString());

        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().startsWith("# would write ") && r.out().contains("/systemd/user/caod.service"), r.out());
        assertTrue(r.out().contains("\nExecStart=" + caod + " serve\n"), r.out());
    }

    @Test
    void aLauncherThatIsNotThereIsRefusedBeforeAnythingIsTouched(@TempDir Path dir) {
        Run r = caod("service", "install", "--exec", dir.resolve("missing/caod").toString());

        assertEquals(ExitCode.FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("is not an executable file"), r.err());
    }

    @Test
    void helpListsTheThreeSubcommands() {
        Run r = caod("service", "--help");
        assertEquals(ExitCode.OK, r.code());
        assertTrue(r.out().contains("install") && r.out().contains("uninstall") && r.out().contains("status"),
                r.out());
    }
}
