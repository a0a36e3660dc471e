package dev.caod.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.Duration;

import dev.caod.api.v1.AwaitStatusRequest;
import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.GetOutputRequest;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.Terminal;
import dev.caod.api.v1.TerminalStatus;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code caod launch}: start a session with a supervisor, wait until it is ready, optionally give it a task, and
 * attach to its window (or, headless, print the ids and, with a task, its answer).
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = "Start a team: a session whose supervisor runs the given profile; attach to it, or --headless.")
final class LaunchCommand implements Runnable {

    @Mixin
    ClientOptions options;
    @Spec
    CommandSpec spec;
    @Option(names = "--agents", required = true, paramLabel = "PROFILE", description = "The supervisor's profile, e.g. code_supervisor.")
    String profile;
    @Option(names = "--provider", description = "Overrides the profile's provider (claude_code, codex, demo …).")
    String provider = "";
    @Option(names = "--working-dir", description = "Where the agents work (default: here); inherited by workers.")
    String workingDir = System.getProperty("user.dir");
    @Option(names = "--session", paramLabel = "NAME", description = "Session name ([a-z0-9_-]); default generated.")
    String session = "";
    @Option(names = "--headless", description = "Do not attach: print the ids (and, with MESSAGE, wait and print the answer).")
    boolean headless;
    @Option(names = "--env", paramLabel = "NAME[=VALUE]", description = ForwardedEnv.HELP)
    List<String> env = new ArrayList<>();
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the start and for the answer (default: ${DEFAULT-VALUE}).")
    int timeout;
    @Parameters(arity = "0..1", paramLabel = "MESSAGE", description = "A first task for the supervisor.")
    String message;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (DaemonClient client = DaemonClient.connect(options)) {
            var sessions = client.stub(SessionServiceGrpc.newBlockingStub(client.channel()))
                    .withDeadlineAfter(timeout + 60L, java.util.concurrent.TimeUnit.SECONDS);
            try {
                var created = sessions.createSession(CreateSessionRequest.newBuilder().setProfile(profile)
                        .setProvider(provider).setWorkingDirectory(Path.of(workingDir).toAbsolutePath().toString())
                        .setName(session).addAllEnv(ForwardedEnv.parse(env)).build());
                Terminal supervisor = created.getSupervisor();
                await(sessions, supervisor.getId(), "start", TerminalStatus.TERMINAL_STATUS_IDLE,
                        TerminalStatus.TERMINAL_STATUS_COMPLETED);
                if (message != null && !message.isBlank()) {
                    sessions.sendInput(SendInputRequest.newBuilder().setTerminalId(supervisor.getId()).setText(message)
                            .build());
                }
                if (!headless) {
                    TerminalCommand.attach(created.getSession().getTmuxSocket(), created.getSession().getTmuxSession(),
                            supervisor.getTmuxWindow());
                    return;
                }
                out.printf("session  %s (%s)%nterminal %s (%s, %s)%n", created.getSession().getId(),
                        created.getSession().getName(), supervisor.getId(), supervisor.getProfile(),
                        supervisor.getProvider());
                if (message != null && !message.isBlank()) {
                    TerminalStatus end = await(sessions, supervisor.getId(), "answer",
                            TerminalStatus.TERMINAL_STATUS_COMPLETED, TerminalStatus.TERMINAL_STATUS_ERROR,
                            TerminalStatus.TERMINAL_STATUS_WAITING_USER_ANSWER);
                    if (end != TerminalStatus.TERMINAL_STATUS_COMPLETED) {
                        throw new CliException(ExitCode.FAILURE, "the supervisor stopped at "
                                + TerminalCommand.lower(end.name(), "TERMINAL_STATUS_") + "; look with `caod terminal "
                                + "attach " + supervisor.getId() + "`");
                    }
                    out.println(sessions.getOutput(GetOutputRequest.newBuilder().setTerminalId(supervisor.getId())
                            .build()).getText());
                }
                out.flush();
            } catch (StatusRuntimeException e) {
                throw client.explain(e);
            }
        }
    }

    private TerminalStatus await(SessionServiceGrpc.SessionServiceBlockingStub sessions, String id, String what,
            TerminalStatus... anyOf) {
        var a = sessions.awaitStatus(AwaitStatusRequest.newBuilder().setTerminalId(id).addAllAnyOf(List.of(anyOf))
                .setTimeout(Duration.newBuilder().setSeconds(timeout)).build());
        if (!a.getReached()) {
            throw new CliException(ExitCode.TIMEOUT, "terminal " + id + " did not " + (what.equals("start")
                    ? "become ready" : "answer") + " within " + timeout + " s (now "
                    + TerminalCommand.lower(a.getTerminal().getStatus().name(), "TERMINAL_STATUS_")
                    + "); look with `caod terminal attach " + id + "` or `caod terminal explain " + id + "`");
        }
        return a.getTerminal().getStatus();
    }
}
