package dev.caod.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.api.v1.GetStatusResponse;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code caod status}: is the daemon up, where, and how much it holds. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the daemon's health, version, socket, database and counts. Exits 3 when it is not running.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (DaemonClient client = DaemonClient.connect(options)) {
            GetStatusResponse status;
            try {
                status = client.stub(DaemonServiceGrpc.newBlockingStub(client.channel()))
                        .getStatus(GetStatusRequest.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                throw client.explain(e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Json.print(out, status);
            } else {
                printText(out, status);
            }
        }
        return ExitCode.OK;
    }

    private static void printText(PrintWriter out, GetStatusResponse s) {
        Instant started = Instant.ofEpochSecond(s.getStartedAt().getSeconds());
        out.printf("caod %s serving (pid %d, up %s)%n", s.getVersion(), s.getPid(),
                human(Duration.between(started, Instant.now())));
        out.printf("  socket     %s%n", s.getGrpcSocket());
        out.printf("  tcp        %s%n", s.getTcpAddress().isEmpty() ? "off" : s.getTcpAddress() + " (token)");
        out.printf("  http       %s%n", s.getHttpAddress());
        out.printf("  database   %s (schema v%d)%n", s.getDatabasePath(), s.getSchemaVersion());
        out.printf("  tmux       -L %s%n", s.getTmuxSocket());
        out.printf("  config     %s%n", s.getConfigDir());
        out.printf("  state      %s%n", s.getStateDir());
        out.printf("  sessions %d, terminals %d (%d live), pending messages %d, flows %d, flow runs %d%n",
                s.getSessions(), s.getTerminals(), s.getLiveTerminals(), s.getPendingMessages(), s.getFlows(),
                s.getFlowRuns());
        out.flush();
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60) + "s";
        }
        return (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
}
