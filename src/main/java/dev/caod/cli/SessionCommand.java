package dev.caod.cli;

import java.io.PrintWriter;

import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.GetSessionRequest;
import dev.caod.api.v1.ListSessionsRequest;
import dev.caod.api.v1.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code caod session list|show|delete}. */
@Command(name = "session", mixinStandardHelpOptions = true, description = "Create, list, show, delete sessions; a session's timeline (log).",
        subcommands = { SessionCommand.Create.class, SessionCommand.List.class, SessionCommand.Show.class, SessionCommand.Delete.class,
                SessionLogCommand.class })
final class SessionCommand {

    static void line(PrintWriter out, Session s) {
        out.printf("%-8s  %-24s  %2d terminal(s)  %s%s%n", s.getId(), s.getName(), s.getTerminalCount(),
                s.getWorkingDirectory(), s.hasClosedAt() ? "  (deleted)" : "");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Start a session with its first agent (the supervisor) and print its ids.")
    static final class Create implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Option(names = "--profile", required = true, description = "The supervisor's profile.")
        String profile;
        @Option(names = "--provider", description = "claude_code, codex, demo … (default: the profile's, else the daemon's)")
        String provider = "";
        @Option(names = "--working-dir", description = "Default: the current directory.")
        String workingDir = System.getProperty("user.dir");
        @Option(names = "--name", description = "Session name ([a-z0-9_-]); default generated.")
        String name = "";
        @Option(names = "--env", paramLabel = "NAME[=VALUE]", description = ForwardedEnv.HELP)
        java.util.List<String> env = new java.util.ArrayList<>();
        @Option(names = "--message", description = "Sent to the supervisor once it is ready.")
        String message = "";

        @Override
        public void run() {
            var request = dev.caod.api.v1.CreateSessionRequest.newBuilder().setProfile(profile).setProvider(provider)
                    .setWorkingDirectory(java.nio.file.Path.of(workingDir).toAbsolutePath().toString()).setName(name)
                    .setInitialMessage(message);
            request.addAllEnv(ForwardedEnv.parse(env));
            var answer = Rpc.sessions(options, s -> s.createSession(request.build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, answer, () -> {
                line(out, answer.getSession());
                TerminalCommand.line(out, answer.getSupervisor());
                out.printf("  watch: caod terminal attach %s%n", answer.getSupervisor().getId());
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sessions.")
    static final class List implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Option(names = "--all", description = "Include deleted sessions.")
        boolean all;

        @Override
        public void run() {
            var answer = Rpc.sessions(options, s -> s.listSessions(ListSessionsRequest.newBuilder()
                    .setIncludeClosed(all).build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, answer, () -> answer.getSessionsList().forEach(s -> line(out, s)));
        }
    }

    abstract static class One implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "SESSION_ID")
        String id;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a session and its terminals.")
    static final class Show extends One {

        @Override
        public void run() {
            var answer = Rpc.sessions(options, s -> s.getSession(GetSessionRequest.newBuilder().setSessionId(id).build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, answer, () -> {
                line(out, answer.getSession());
                out.printf("  attach: caod terminal attach <id>  (tmux session %s)%n", answer.getSession().getTmuxSession());
                answer.getTerminalsList().forEach(t -> TerminalCommand.line(out, t));
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Close every terminal of a session (transcripts are kept) and remove its tmux session.")
    static final class Delete extends One {

        @Override
        public void run() {
            var answer = Rpc.sessions(options, s -> s.deleteSession(DeleteSessionRequest.newBuilder()
                    .setSessionId(id).build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, answer, () -> out.printf("deleted session %s%n", id));
        }
    }
}
