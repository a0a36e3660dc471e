package dev.caod.demo;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code caod demo-agent}: caod's own scripted agent CLI (the {@code demo} provider). It looks like a chat CLI in a
 * terminal but follows a YAML script instead of calling a model, for demos, tests and benchmarks.
 */
@Command(name = "demo-agent", mixinStandardHelpOptions = true,
        description = "Run the scripted demo agent CLI in this terminal (the demo provider).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:the user exited (/exit, Ctrl-D, Ctrl-C twice)", "2:bad options or a broken script",
                "n:an exit step of the script ended the agent with code n" })
public final class DemoAgentCommand implements Callable<Integer> {

    static final int BAD_SCRIPT = 2;

    @Option(names = "--script", required = true, paramLabel = "FILE", description = "The YAML script to follow.")
    Path script;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name shown in the banner and title (default: the script's name, else demo).")
    String name;

    @Option(names = "--mcp-url", paramLabel = "URL", defaultValue = "${env:CAOD_MCP_URL}",
            description = "MCP server (streamable HTTP) for tool steps (default: $CAOD_MCP_URL).")
    String mcpUrl;

    @Option(names = "--mcp-token", paramLabel = "TOKEN", defaultValue = "${env:CAOD_MCP_TOKEN}",
            description = "Bearer token for the MCP server (default: $CAOD_MCP_TOKEN).")
    String mcpToken;

    @Spec
    CommandSpec spec;

    /** Runs the command on its own, without the rest of the caod CLI. */
    public static void main(String... args) {
        System.exit(new CommandLine(new DemoAgentCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Script loaded;
        try {
            loaded = ScriptLoader.load(script);
        } catch (ScriptException e) {
            return fail(e.getMessage());
        }
        McpHttpClient mcp = null;
        if (mcpUrl != null && !mcpUrl.isBlank()) {
            URI uri;
            try {
                uri = URI.create(mcpUrl.strip());
            } catch (IllegalArgumentException e) {
                return fail("--mcp-url " + mcpUrl + ": not a URL");
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                return fail("--mcp-url " + mcpUrl + ": expected an http:// or https:// URL");
            }
            mcp = new McpHttpClient(uri, mcpToken);
        }
        String shownName = name != null && !name.isBlank() ? name
                : loaded.name() != null ? loaded.name() : "demo";
        Path fileName = script.getFileName();

        OutputStream out = new FileOutputStream(FileDescriptor.out);
        try (Terminal terminal = new Terminal(out).enter()) {
            AtomicInteger columns = new AtomicInteger(terminal.columns(80));
            Screen screen = new Screen(out, columns::get);
            KeyReader keys = new KeyReader(new FileInputStream(FileDescriptor.in)).start();
            DemoAgent agent = new DemoAgent(loaded, shownName, fileName == null ? script.toString()
                    : fileName.toString(), keys, screen, mcp == null ? null : mcp::callTool, System::getenv,
                    () -> columns.set(terminal.columns(columns.get())));
            return agent.run();
        }
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("caod demo-agent: " + message);
        spec.commandLine().getErr().flush();
        return BAD_SCRIPT;
    }
}
