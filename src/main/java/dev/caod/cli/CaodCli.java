package dev.caod.cli;

import java.io.PrintWriter;

import dev.caod.CaodVersion;
import dev.caod.demo.DemoAgentCommand;
import dev.caod.mcp.McpBridgeCommand;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caod} command line: {@code serve} runs the daemon, every other command is a gRPC client of it. */
@Command(name = "caod", mixinStandardHelpOptions = true, versionProvider = CaodCli.Version.class,
        description = "CLI Agent Orchestrator: a team of AI coding CLIs in tmux, coordinated over MCP.",
        subcommands = { ServeCommand.class, StatusCommand.class, DoctorCommand.class, LaunchCommand.class,
                SessionCommand.class,
                TerminalCommand.class, MessageCommands.Send.class, MessageCommands.Inbox.class,
                WorkCommands.Handoff.class, WorkCommands.Assign.class, FlowCommand.class, ProfileCommand.class,
                ServiceCommand.class, DashboardCommand.class, DemoAgentCommand.class, McpBridgeCommand.class,
                CommandLine.HelpCommand.class },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:success", "1:the check or command failed (see its message)", "2:invalid usage",
                "3:the daemon is not running or cannot be reached", "4:not found",
                "5:rejected by the daemon (invalid argument, conflict, wrong state)", "6:not implemented yet",
                "7:timed out", "8:permission denied (TCP token)", "10:`caod serve` refused to start" })
public final class CaodCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs one command and returns its exit code; never calls System.exit, so tests can run it in-process. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new CaodCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            CliException failure = ex instanceof CliException c ? c
                    : ex instanceof StatusRuntimeException s ? new CliException(ExitCode.of(s.getStatus().getCode()),
                            String.valueOf(s.getStatus().getDescription()))
                    : null;
            if (failure == null) {
                throw ex;
            }
            commandLine.getErr().println("caod " + commandLine.getCommandName() + ": " + failure.getMessage());
            return failure.exitCode();
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] { "caod " + CaodVersion.get() };
        }
    }
}
