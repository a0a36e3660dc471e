package dev.caod.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.web.DashboardToken;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code caod dashboard}: the link that logs a browser into the running daemon's web dashboard. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = { "Print the link to the web dashboard of the running daemon (it logs the browser in; keep it"
                + " private: it carries the dashboard's token).",
                "With --open, also open it in your browser (xdg-open)." })
final class DashboardCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Option(names = "--open", description = "Open the link with xdg-open.")
    boolean open;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GetStatusResponse status;
        try (DaemonClient client = DaemonClient.connect(options)) {
            try {
                status = client.stub(DaemonServiceGrpc.newBlockingStub(client.channel()))
                        .getStatus(GetStatusRequest.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                throw client.explain(e);
            }
        }
        Path file = Path.of(status.getStateDir()).resolve(DashboardToken.FILE_NAME);
        String token;
        try {
            token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILURE, "cannot read the dashboard token " + file + ": " + e.getMessage()
                    + ". It is made when caod starts with caod.dashboard.enabled=true (the default), readable by the"
                    + " user running caod only.");
        }
        String url = "http://" + status.getHttpAddress() + "/ui/login?token=" + token;
        PrintWriter out = spec.commandLine().getOut();
        out.println(url);
        out.flush();
        if (open) {
            try {
                new ProcessBuilder("xdg-open", url).redirectErrorStream(true).redirectOutput(
                        ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new CliException(ExitCode.FAILURE, "cannot run xdg-open (" + e.getMessage() + "); open the link"
                        + " above in your browser");
            }
        }
        return ExitCode.OK;
    }
}
