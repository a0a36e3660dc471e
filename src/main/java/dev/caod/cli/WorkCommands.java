package dev.caod.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.util.Durations;

import dev.caod.api.v1.AssignRequest;
import dev.caod.api.v1.HandoffOutcome;
import dev.caod.api.v1.HandoffRequest;
import dev.caod.api.v1.MessagingServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code caod handoff} and {@code caod assign}: a person or a script delegates exactly like an agent does. */
final class WorkCommands {

    private WorkCommands() {
    }

    /** What both commands take: who delegates, where, to which profile, what. */
    static final class Order {
        @Parameters(index = "0", paramLabel = "PROFILE", description = "The worker's profile, e.g. developer.")
        String profile;
        @Parameters(index = "1", paramLabel = "MESSAGE", description = "The worker's task.")
        String message;
        @Option(names = "--session", paramLabel = "SESSION_ID", description = "Start the worker in this session"
                + " (required unless --from names a terminal).")
        String session = "";
        @Option(names = "--from", paramLabel = "TERMINAL_ID", description = "Delegate as this terminal: the worker"
                + " starts in its session and reports back to it.")
        String from = "";
        @Option(names = "--provider", description = "The worker's agent CLI (default: the profile's, else the caller's).")
        String provider = "";
        @Option(names = "--working-dir", description = "Where the worker works (default: the session's folder).")
        String workingDir = "";
        @Option(names = "--env", paramLabel = "NAME[=VALUE]", description = ForwardedEnv.HELP)
        List<String> env = new ArrayList<>();

        String workingDirectory() {
            return workingDir.isBlank() ? "" : Path.of(workingDir).toAbsolutePath().toString();
        }
    }

    @Command(name = "handoff", mixinStandardHelpOptions = true, description = {
            "Start a worker, give it a task, wait for its answer and print it; the worker is closed afterwards.",
            "Exit code 0 only when the outcome is completed; 7 when it timed out, 1 for any other outcome."})
    static final class Handoff implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Mixin
        Order order;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
                description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        public void run() {
            var answer = Rpc.call(options, channel -> MessagingServiceGrpc.newBlockingStub(channel), stub -> stub
                    // the daemon ends the handoff at its timeout; the call waits a little longer to hear the outcome
                    .withDeadlineAfter(timeout + 60L, TimeUnit.SECONDS)
                    .handoff(HandoffRequest.newBuilder().setCallerTerminalId(order.from).setSessionId(order.session)
                            .setAgentProfile(order.profile).setMessage(order.message).setTimeoutSeconds(timeout)
                            .setProvider(order.provider).setWorkingDirectory(order.workingDirectory())
                            .addAllEnv(ForwardedEnv.parse(order.env)).build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, answer, () -> {
                if (answer.getOutcome() == HandoffOutcome.HANDOFF_OUTCOME_COMPLETED) {
                    out.println(answer.getAnswer());
                } else {
                    out.printf("outcome: %s (worker %s, %.1f s)%n%s%n--- worker's screen ---%n%s%n",
                            answer.getOutcome().name().substring("HANDOFF_OUTCOME_".length()).toLowerCase(),
                            answer.getWorkerTerminalId(), Durations.toMillis(answer.getElapsed()) / 1000.0,
                            answer.getDetail(), answer.getAnswer());
                }
            });
            switch (answer.getOutcome()) {
                case HANDOFF_OUTCOME_COMPLETED -> { }
                case HANDOFF_OUTCOME_TIMED_OUT -> throw new CliException(ExitCode.TIMEOUT, "the handoff timed out: "
                        + answer.getDetail());
                default -> throw new CliException(ExitCode.FAILURE, "the handoff did not complete: "
                        + answer.getDetail());
            }
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true,
            description = "Start a worker on a task and return at once with its terminal id.")
    static final class Assign implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Mixin
        Order order;

        @Override
        public void run() {
            var answer = Rpc.call(options, MessagingServiceGrpc::newBlockingStub, stub -> stub.assign(
                    AssignRequest.newBuilder().setCallerTerminalId(order.from).setSessionId(order.session)
                            .setAgentProfile(order.profile).setMessage(order.message).setProvider(order.provider)
                            .setWorkingDirectory(order.workingDirectory()).addAllEnv(ForwardedEnv.parse(order.env))
                            .build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, answer, () -> out.printf("%s  (task: message %d, %s)%n",
                    answer.getWorkerTerminalId(), answer.getTask().getId(),
                    answer.getTask().getState().name().substring("MESSAGE_STATE_".length()).toLowerCase()));
        }
    }
}
