package dev.caod.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import dev.caod.api.v1.CloseTerminalRequest;
import dev.caod.api.v1.ExplainStatusRequest;
import dev.caod.api.v1.GetOutputRequest;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.ListTerminalsRequest;
import dev.caod.api.v1.OutputMode;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SendKeysRequest;
import dev.caod.api.v1.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code caod terminal list|show|send|keys|output|explain|attach|close}. */
@Command(name = "terminal", mixinStandardHelpOptions = true, description = "Work with agent terminals.",
        subcommands = { TerminalCommand.List.class, TerminalCommand.Show.class, TerminalCommand.Send.class,
                TerminalCommand.Keys.class, TerminalCommand.Output.class, TerminalCommand.Explain.class,
                TerminalCommand.Attach.class, TerminalCommand.Close.class })
final class TerminalCommand {

    static void line(PrintWriter out, Terminal t) {
        out.printf("%-8s  %-12s  %-20s  %-10s  %-20s  %s%n", t.getId(), t.getProvider(), t.getProfile(),
                lower(t.getLifecycle().name(), "TERMINAL_LIFECYCLE_"), lower(t.getStatus().name(), "TERMINAL_STATUS_"),
                t.getTmuxWindow() + (t.getExitReason().isEmpty() ? "" : "  (" + t.getExitReason() + ")"));
    }

    static String lower(String name, String prefix) {
        return name.substring(prefix.length()).toLowerCase();
    }

    abstract static class One implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TERMINAL_ID")
        String id;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List terminals.")
    static final class List implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Option(names = "--session", description = "Only this session's terminals.")
        String session = "";
        @Option(names = "--all", description = "Include exited terminals.")
        boolean all;

        @Override
        public void run() {
            var answer = Rpc.sessions(options, s -> s.listTerminals(ListTerminalsRequest.newBuilder()
                    .setSessionId(session).setIncludeExited(all).build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, answer, () -> answer.getTerminalsList().forEach(t -> line(out, t)));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one terminal.")
    static final class Show extends One {
        @Override
        public void run() {
            var answer = Rpc.sessions(options, s -> s.getTerminal(GetTerminalRequest.newBuilder().setTerminalId(id).build()));
            Rpc.print(options, out(), answer, () -> line(out(), answer.getTerminal()));
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Type text into a terminal as one message and submit it; `-` reads the text from stdin.")
    static final class Send extends One {
        @Parameters(index = "1", paramLabel = "TEXT")
        String text;
        @Option(names = "--no-submit", description = "Type the text but do not press Enter.")
        boolean noSubmit;
        @Option(names = "--force", description = "Type even though a dialog is open.")
        boolean force;

        @Override
        public void run() {
            String body = text;
            if ("-".equals(text)) {
                try {
                    body = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new CliException(ExitCode.FAILURE, "cannot read stdin: " + e.getMessage());
                }
            }
            String finalBody = body;
            var answer = Rpc.sessions(options, s -> s.sendInput(SendInputRequest.newBuilder().setTerminalId(id)
                    .setText(finalBody).setNoSubmit(noSubmit).setForce(force).build()));
            Rpc.print(options, out(), answer, () -> line(out(), answer.getTerminal()));
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "Send tmux key names, e.g. `caod terminal keys ID Down Enter` to answer a dialog.")
    static final class Keys extends One {
        @Parameters(index = "1..*", paramLabel = "KEY", arity = "1..*")
        java.util.List<String> keys;

        @Override
        public void run() {
            var answer = Rpc.sessions(options, s -> s.sendKeys(SendKeysRequest.newBuilder().setTerminalId(id)
                    .addAllKeys(keys).build()));
            Rpc.print(options, out(), answer, () -> line(out(), answer.getTerminal()));
        }
    }

    @Command(name = "output", mixinStandardHelpOptions = true, description = "Print a terminal's last answer, "
            + "screen, full history or transcript.")
    static final class Output extends One {
        @Option(names = "--mode", description = "last (default), screen, full, transcript")
        String mode = "last";
        @Option(names = "--lines", description = "Only the last N lines.")
        int lines;

        @Override
        public void run() {
            OutputMode m = switch (mode) {
                case "last" -> OutputMode.OUTPUT_MODE_LAST_ANSWER;
                case "screen" -> OutputMode.OUTPUT_MODE_SCREEN;
                case "full" -> OutputMode.OUTPUT_MODE_FULL;
                case "transcript" -> OutputMode.OUTPUT_MODE_TRANSCRIPT;
                default -> throw new CliException(ExitCode.USAGE, "--mode: one of last, screen, full, transcript");
            };
            var answer = Rpc.sessions(options, s -> s.getOutput(GetOutputRequest.newBuilder().setTerminalId(id)
                    .setMode(m).setMaxLines(lines).build()));
            Rpc.print(options, out(), answer, () -> out().println(answer.getText()));
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Say which rule decided the terminal's status and which screen lines it matched.")
    static final class Explain extends One {
        @Override
        public void run() {
            var a = Rpc.sessions(options, s -> s.explainStatus(ExplainStatusRequest.newBuilder().setTerminalId(id).build()));
            Rpc.print(options, out(), a, () -> {
                out().printf("status   %s%nrule     %s%nprovider %s%ntitle    %s%ncommand  %s%n",
                        lower(a.getStatus().name(), "TERMINAL_STATUS_"), a.getRule(), a.getProvider(),
                        a.getPaneTitle(), a.getForegroundCommand());
                a.getMatchedLinesList().forEach(m -> out().printf("  line %2d  %s%n           matched /%s/%n",
                        m.getLineNumber(), m.getText().strip(), m.getPattern()));
            });
        }
    }

    @Command(name = "attach", mixinStandardHelpOptions = true,
            description = "Attach your terminal to the agent's tmux window (detach with C-b d).")
    static final class Attach extends One {
        @Override
        public void run() {
            Terminal t = Rpc.sessions(options, s -> s.getTerminal(GetTerminalRequest.newBuilder().setTerminalId(id)
                    .build())).getTerminal();
            var session = Rpc.sessions(options, s -> s.getSession(dev.caod.api.v1.GetSessionRequest.newBuilder()
                    .setSessionId(t.getSessionId()).build())).getSession();
            if (session.getTmuxSocket().isEmpty()) {
                throw new CliException(ExitCode.FAILURE, "session " + session.getId() + " is closed: nothing to attach to");
            }
            attach(session.getTmuxSocket(), session.getTmuxSession(), t.getTmuxWindow());
        }
    }

    /** Hands this terminal to tmux, attached to the agent's window, until the user detaches. */
    static void attach(String socket, String session, String window) {
        if (System.console() == null) {
            throw new CliException(ExitCode.USAGE, "attaching needs an interactive terminal; run `tmux -L " + socket
                    + " attach -t " + session + "` from one, or use --headless");
        }
        try {
            ProcessBuilder tmux = new ProcessBuilder("tmux", "-L", socket, "attach-session", "-t", session + ":" + window)
                    .inheritIO();
            // from inside a person's own tmux: nest (their prefix key twice reaches the agent's), as they asked
            tmux.environment().remove("TMUX");
            int code = tmux.start().waitFor();
            if (code != 0) {
                throw new CliException(ExitCode.FAILURE, "tmux attach ended with status " + code);
            }
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.FAILURE, "cannot run tmux: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true,
            description = "Close a terminal: keep its transcript, end its whole process tree, remove its window.")
    static final class Close extends One {
        @Override
        public void run() {
            var answer = Rpc.sessions(options, s -> s.closeTerminal(CloseTerminalRequest.newBuilder().setTerminalId(id)
                    .build()));
            Rpc.print(options, out(), answer, () -> line(out(), answer.getTerminal()));
        }
    }
}
