package dev.caod.cli;

import java.io.PrintWriter;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that talks to the daemon has: the client options and its own output. */
abstract class ClientCommand implements Runnable {
    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A file a command validates, read whole; a usage error when it cannot be. */
    static String read(String file) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Prints a validation's problems as {@code file:line: error: [field] message}, then ok or exit 1. */
    void report(java.util.List<dev.caod.api.v1.ValidationProblem> problems, boolean ok, String file, String what) {
        problems.forEach(p -> out().printf("%s:%d: %s%s%s%n", p.getFile(), p.getLine(),
                p.getSeverity() == dev.caod.api.v1.Severity.SEVERITY_WARNING ? "warning: " : "error: ",
                p.getField().isEmpty() ? "" : "[" + p.getField() + "] ", p.getMessage()));
        if (ok) {
            out().printf("%s: ok (%s)%n", file, what);
        }
        out().flush();
    }

    static void failUnless(boolean ok, String file) {
        if (!ok) {
            throw new CliException(ExitCode.FAILURE, file + " does not validate");
        }
    }
}
