package dev.caod.mcp;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.Callable;

import dev.caod.cli.CliException;
import dev.caod.cli.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code caod mcp}: caod's MCP tools over stdio, for agent CLIs that can only start MCP servers as processes. It
 * relays to caod's HTTP endpoint with the calling agent's own token, so caod still knows who calls; see
 * {@link McpStdioBridge}.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = { "Serve caod's MCP tools over stdio, for agent CLIs that only speak stdio MCP.",
                "Relays each JSON-RPC line on stdin to caod's MCP endpoint and writes each answer as one line on"
                        + " stdout; diagnostics go to stderr. Ends when stdin ends and every call in flight is"
                        + " answered." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:stdin ended and every call was answered", "1:reading stdin failed",
                "2:no endpoint URL or no token, or a URL that is not http(s)" })
public final class McpBridgeCommand implements Callable<Integer> {

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:CAOD_MCP_URL}",
            description = "caod's MCP endpoint, http://127.0.0.1:<http port>/mcp (default: $CAOD_MCP_URL).")
    String url;

    @Option(names = "--token-env", paramLabel = "NAME", defaultValue = "CAOD_MCP_TOKEN",
            description = "The environment variable that holds the agent's MCP token (default: ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (url == null || url.isBlank()) {
            throw new CliException(ExitCode.USAGE, "no MCP endpoint: pass --url or set CAOD_MCP_URL, e.g."
                    + " http://127.0.0.1:7870/mcp (`caod status` shows the http address)");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--url " + url + ": not a URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new CliException(ExitCode.USAGE, "--url " + url + ": expected an http:// URL");
        }
        String token = System.getenv(tokenEnv);
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCode.USAGE, "$" + tokenEnv + " is not set: caod gives each agent it starts"
                    + " its own MCP token in CAOD_MCP_TOKEN; run this bridge from such an agent's MCP configuration");
        }
        // unbuffered and unwrapped: each answer line goes out in one write, and a closed stdout is an IOException
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        try {
            new McpStdioBridge(uri, token.strip(), System.in, stdout, spec.commandLine().getErr()).run();
        } catch (IOException e) {
            throw new CliException(ExitCode.FAILURE, "reading stdin failed: " + e.getMessage());
        }
        return ExitCode.OK;
    }
}
