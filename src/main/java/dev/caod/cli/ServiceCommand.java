package dev.caod.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.caod.service.Launcher;
import dev.caod.service.ServiceException;
import dev.caod.service.ServiceManager;
import dev.caod.service.ServiceStatus;
import dev.caod.service.SystemdUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code caod service install|uninstall|status}: caod as a systemd user service (docs/service.md). */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = { "Run caod as a systemd user service (~/.config/systemd/user/caod.service).",
                "Agents keep running when the service stops or restarts." },
        subcommands = { ServiceCommand.Install.class, ServiceCommand.Uninstall.class, ServiceCommand.Status.class })
final class ServiceCommand {

    static ServiceManager manager() {
        return ServiceManager.forHost(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static SystemdUnit unit(Path exec) {
        return SystemdUnit.forLauncher(Launcher.find(exec), System.getenv());
    }

    static void print(PrintWriter out, List<String> notes) {
        notes.forEach(out::println);
        out.flush();
    }

    /** A service failure as the CLI reports every failure: one line on stderr and a documented exit code. */
    static CliException failure(ServiceException e) {
        int code = switch (e.reason()) {
            case REFUSED -> ExitCode.REJECTED;
            case NOT_INSTALLED -> ExitCode.NOT_FOUND;
            case FAILED -> ExitCode.FAILURE;
        };
        return new CliException(code, e.getMessage());
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = { "Write caod.service, then enable and start it (systemctl --user enable --now).",
                    "Refuses to replace a unit file caod did not write unless --force." })
    static final class Install implements Callable<Integer> {

        @Option(names = "--dry-run", description = "Print the unit and where it would go; change nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Replace a caod.service that caod did not write.")
        boolean force;

        @Option(names = "--exec", paramLabel = "PATH",
                description = "The caod launcher the unit runs (default: the bin/caod running this command).")
        Path exec;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                SystemdUnit unit = unit(exec);
                ServiceManager manager = manager();
                if (dryRun) {
                    out.println("# would write " + manager.file().path());
                    out.print(unit.render());
                    out.flush();
                    return ExitCode.OK;
                }
                print(out, manager.install(unit, force));
                return ExitCode.OK;
            } catch (ServiceException e) {
                throw failure(e);
            }
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = { "Stop and disable caod.service and remove its file; agents keep running.",
                    "Refuses to remove a unit file caod did not write unless --force." })
    static final class Uninstall implements Callable<Integer> {

        @Option(names = "--force", description = "Remove caod.service even when caod did not write it.")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                print(spec.commandLine().getOut(), manager().uninstall(force));
                return ExitCode.OK;
            } catch (ServiceException e) {
                throw failure(e);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = { "Show the unit file (written by caod? current?), whether it is enabled and running,",
                    "and whether linger is on. Exits 1 unless it is installed and running." })
    static final class Status implements Callable<Integer> {

        @Option(names = "--exec", paramLabel = "PATH",
                description = "The launcher to compare the installed unit with (default: as for install).")
        Path exec;

        @Option(names = { "-o", "--output" }, paramLabel = "FORMAT", defaultValue = "text",
                description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        ClientOptions.Format output = ClientOptions.Format.text;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ServiceStatus s;
            try {
                s = manager().status(() -> unit(exec));
            } catch (ServiceException e) {
                throw failure(e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output == ClientOptions.Format.json) {
                Json.print(out, s);
            } else {
                printText(out, s);
            }
            return s.healthy() ? ExitCode.OK : ExitCode.FAILURE;
        }

        private static void printText(PrintWriter out, ServiceStatus s) {
            String file = !s.installed() ? "missing"
                    : !s.writtenByCaod() ? "not written by caod"
                    : s.current() == null ? "written by caod"
                    : s.current() ? "written by caod, current" : "written by caod, outdated";
            out.printf("unit file  %s (%s)%n", s.unitFile(), file);
            out.printf("enabled    %s%n", orUnknown(s.enabled()));
            out.printf("active     %s%n", s.managerReachable() ? orUnknown(s.active())
                    : "unknown (no systemd user manager)");
            out.printf("linger     %s%n", s.linger() == null ? "unknown" : s.linger() ? "yes" : "no");
            for (String hint : s.hints()) {
                out.println("  " + hint);
            }
            out.flush();
        }

        private static String orUnknown(String value) {
            return value == null ? "unknown" : value;
        }
    }
}
