package dev.caod.provider;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.caod.profile.McpServerSpec;

/**
 * A caod profile written as the native custom agent of Amazon Q Developer CLI and Kiro CLI (the same JSON format):
 * these CLIs take their role prompt, model, MCP servers and tool permissions only from an agent file in the user's
 * agent folder, chosen with {@code chat --agent <name>}. The agent is named {@code caod-<profile>} and rewritten at
 * every launch, so a profile edit reaches the next terminal; no other file in the folder is touched.
 *
 * <p>caod's own MCP server is a stdio command ({@code caod mcp}) that finds caod and its credential in the
 * environment the CLI hands down ({@code CAOD_MCP_URL}, {@code CAOD_MCP_TOKEN}): the token never lands in the file,
 * and terminals of the same profile can share one file.
 *
 * <p>Tools: without a profile list, every tool ({@code "*"}) and the CLI's own approval defaults. With a list, the
 * CLI's built-in tools are cut down to it (as Claude Code gets a deny list: {@code --trust-all-tools} would approve
 * anything available), the MCP servers (caod's and the profile's) stay available, and the listed tools run without
 * asking.
 */
final class NativeAgentFile {

    static final String AGENT_PREFIX = "caod-";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts every description caod writes: how a file caod may replace is told from a user's own agent. */
    private static final String DESCRIPTION_PREFIX = "caod profile ";

    /** caod's MCP tools, called {@code @caod/<tool>} in an agent's tool lists. */
    private static final List<String> CAOD_TOOLS = List.of("handoff", "assign", "send_message", "list_terminals",
            "read_output", "close_terminal");

    /**
     * Profiles name tools the Claude Code way (see profiles/README.md); these are the nearest built-ins of Q and
     * Kiro. Grep and Glob become fs_read, whose search and directory modes do that work.
     */
    private static final Map<String, String> BUILT_IN_NAMES = Map.ofEntries(Map.entry("Read", "fs_read"),
            Map.entry("Grep", "fs_read"), Map.entry("Glob", "fs_read"), Map.entry("Write", "fs_write"),
            Map.entry("Edit", "fs_write"), Map.entry("MultiEdit", "fs_write"), Map.entry("NotebookEdit", "fs_write"),
            Map.entry("Bash", "execute_bash"), Map.entry("WebFetch", "web_fetch"), Map.entry("WebSearch", "web_search"));

    private NativeAgentFile() {
    }

    /** The agent's name for a profile; profile names are already {@code [a-z0-9_-]}, this keeps it a file name. */
    static String agentName(String profile) {
        if (!profile.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("profile name `" + profile + "` cannot name a native agent file"
                    + " (letters, digits, _ and - only)");
        }
        return AGENT_PREFIX + profile;
    }

    /** The user's home as the CLI will see it (its HOME), where the agent folders are. */
    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** Variables the {@code caod mcp} child finds caod by; the CLI passes its environment on to MCP servers. */
    static Map<String, String> env(LaunchRequest request) {
        return request.mcpUrl().isPresent()
                ? Map.of("CAOD_MCP_URL", request.mcpUrl().get(), "CAOD_MCP_TOKEN", request.mcpToken())
                : Map.of();
    }

    /**
     * Writes (or replaces) {@code <agentsDir>/caod-<profile>.json} and returns the agent's name. Atomic: a CLI
     * starting at the same moment for another terminal of this profile reads the old file or the new one, whole.
     *
     * @throws IOException naming the file, when the folder is not writable or the file there is not caod's
     */
    static String write(Path agentsDir, LaunchRequest request) throws IOException {
        String name = agentName(request.profile());
        Path file = agentsDir.resolve(name + ".json");
        refuseForeignFile(file, request.profile());
        byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(agent(name, request));
        Path temp = null;
        try {
            Files.createDirectories(agentsDir);
            // a name the CLI does not load as an agent (not *.json), created owner-only: a profile's HTTP headers
            // may hold its own credentials
            temp = Files.createTempFile(agentsDir, "." + name + ".", ".tmp");
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            throw new IOException("cannot write the agent file " + file + " for profile " + request.profile() + ": "
                    + e + "; make " + agentsDir + " writable for the user caod runs as", e);
        }
        return name;
    }

    /** A file of that name caod did not write is a user's own agent: it is never replaced. */
    private static void refuseForeignFile(Path file, String profile) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String why;
        try {
            JsonNode existing = JSON.readTree(file.toFile());
            if (existing != null && existing.path("description").asText("").startsWith(DESCRIPTION_PREFIX)) {
                return;
            }
            why = "its description does not start with \"" + DESCRIPTION_PREFIX + "\"";
        } catch (IOException e) {
            why = "it is not readable JSON (" + e.getMessage() + ")";
        }
        throw new IOException(file + " exists but was not written by caod (" + why + "); caod writes profile "
                + profile + "'s agent under that name: rename or remove that file");
    }

    static ObjectNode agent(String name, LaunchRequest request) throws IOException {
        ObjectNode agent = JSON.createObjectNode();
        agent.put("name", name);
        agent.put("description", DESCRIPTION_PREFIX + request.profile()
                + " (written by caod at each launch of that profile; edit the profile, not this file)");
        request.systemPrompt().ifPresent(p -> agent.put("prompt", p));
        request.model().ifPresent(m -> agent.put("model", m));
        agent.set("mcpServers", mcpServers(request));
        List<String> listed = request.allowedTools().stream().map(NativeAgentFile::toolName).distinct().toList();
        if (listed.isEmpty()) {
            agent.putArray("tools").add("*");
        } else {
            Set<String> available = new LinkedHashSet<>(listed);
            if (request.mcpUrl().isPresent()) {
                available.add("@caod");
            }
            request.mcpServers().forEach(s -> available.add("@" + s.name()));
            available.forEach(agent.putArray("tools")::add);
            listed.forEach(agent.putArray("allowedTools")::add);
        }
        // only the servers named here: not the user's global mcp.json of the CLI
        agent.put("useLegacyMcpJson", false);
        return agent;
    }

    private static ObjectNode mcpServers(LaunchRequest request) throws IOException {
        ObjectNode servers = JSON.createObjectNode();
        if (request.mcpUrl().isPresent()) {
            List<String> self = DemoProvider.selfCommand(request.terminalDir());
            ObjectNode caod = servers.putObject("caod").put("command", self.getFirst());
            var args = caod.putArray("args");
            self.subList(1, self.size()).forEach(args::add);
            args.add("mcp");
            // milliseconds per request: a handoff lasts as long as its worker works
            caod.put("timeout", Provider.LONGEST_TOOL_CALL.toMillis());
        }
        for (McpServerSpec spec : request.mcpServers()) {
            ObjectNode server = servers.putObject(spec.name());
            if (spec.isHttp()) {
                server.put("type", "http").put("url", spec.url());
                if (!spec.headers().isEmpty()) {
                    spec.headers().forEach(server.putObject("headers")::put);
                }
            } else {
                server.put("command", spec.command());
                spec.args().forEach(server.putArray("args")::add);
                if (!spec.env().isEmpty()) {
                    spec.env().forEach(server.putObject("env")::put);
                }
            }
        }
        return servers;
    }

    private static String toolName(String tool) {
        if (CAOD_TOOLS.contains(tool)) {
            return "@caod/" + tool;
        }
        return BUILT_IN_NAMES.getOrDefault(tool, tool);
    }
}
