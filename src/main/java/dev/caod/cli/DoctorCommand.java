package dev.caod.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import dev.caod.daemon.DaemonPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code caod doctor}: what is installed, what runs, and how to fix what does not. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = { "Check tmux, the folders, the socket, the daemon, its database and the agent CLIs on PATH.",
                "Exits 1 when a check fails; warnings alone exit 0." })
final class DoctorCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Doctor.Check> checks = new Doctor(DaemonPaths.fromEnvironment(), options).run();
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Json.print(out, checks);
        } else {
            for (Doctor.Check c : checks) {
                out.printf("%-5s %-28s %s%n", c.level(), c.name(), c.detail());
                if (c.fix() != null) {
                    out.printf("      %-28s fix: %s%n", "", c.fix());
                }
            }
        }
        out.flush();
        return checks.stream().anyMatch(c -> c.level() == Doctor.Level.fail) ? ExitCode.FAILURE : ExitCode.OK;
    }
}
