package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.caod.profile.McpServerSpec;

/**
 * {@code claude_code}: Claude Code. Its first-run dialogs (theme, "use this API key?", folder trust, bypass-mode
 * confirmation) are avoided with a per-terminal config folder ({@code CLAUDE_CONFIG_DIR}) seeded from the user's
 * own settings, so the user's {@code ~/.claude.json} is never rewritten. The user's credentials file is linked in,
 * so a subscription login keeps working. A profile's {@code claude_code: {native_agent: <name>}} runs one of the
 * user's own Claude Code sub-agents as the session's agent, with the profile's prompt appended.
 */
@ApplicationScoped
public class ClaudeCodeProvider implements Provider {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Claude Code's own tools: those not in a profile's allowedTools are denied. */
    static final List<String> BUILT_IN_TOOLS = List.of("Bash", "Edit", "Write", "MultiEdit", "NotebookEdit", "Read",
            "Grep", "Glob", "WebFetch", "WebSearch", "Task", "TodoWrite");

    /** caod's MCP tools are called {@code mcp__caod__<tool>} inside Claude Code. */
    private static final List<String> CAOD_TOOLS = List.of("handoff", "assign", "send_message", "list_terminals",
            "read_output", "close_terminal");

    @Override
    public String name() {
        return "claude_code";
    }

    @Override
    public LaunchPlan launch(LaunchRequest request) throws IOException {
        Path configDir = request.terminalDir().resolve("claude");
        Files.createDirectories(configDir);
        Path userDir = userConfigDir(request.env());
        seedGlobalConfig(configDir, userDir, request);
        seedSettings(configDir, userDir);
        Path credentials = userDir.resolve(".credentials.json");
        if (Files.isRegularFile(credentials) && !Files.exists(configDir.resolve(".credentials.json"))) {
            Files.createSymbolicLink(configDir.resolve(".credentials.json"), credentials);
        }

        List<String> argv = new ArrayList<>(List.of("claude"));
        ObjectNode servers = JSON.createObjectNode();
        if (request.mcpUrl().isPresent()) {
            ObjectNode caod = servers.putObject("caod").put("type", "http").put("url", request.mcpUrl().get());
            caod.putObject("headers").put("Authorization", "Bearer " + request.mcpToken());
        }
        for (McpServerSpec spec : request.mcpServers()) {
            ObjectNode server = servers.putObject(spec.name());
            if (spec.isHttp()) {
                server.put("type", "http").put("url", spec.url());
                spec.headers().forEach(server.putObject("headers")::put);
            } else {
                server.put("type", "stdio").put("command", spec.command());
                spec.args().forEach(server.putArray("args")::add);
                spec.env().forEach(server.putObject("env")::put);
            }
        }
        if (!servers.isEmpty()) {
            Path mcp = request.terminalDir().resolve("mcp.json");
            ObjectNode root = JSON.createObjectNode();
            root.set("mcpServers", servers);
            Files.writeString(mcp, JSON.writeValueAsString(root));
            argv.addAll(List.of("--mcp-config", mcp.toString()));
        }
        if (!request.allowedTools().isEmpty()) {
            // the bypass mode approves everything it may use, so a restriction must be a deny list
            List<String> denied = BUILT_IN_TOOLS.stream().filter(t -> !request.allowedTools().contains(t)).toList();
            if (!denied.isEmpty()) {
                argv.add("--disallowedTools");
                argv.add(String.join(",", denied));
            }
            argv.add("--allowedTools");
            argv.add(String.join(",", request.allowedTools().stream().map(ClaudeCodeProvider::toolName).toList()));
        }
        // a profile may run one of the user's own Claude sub-agents (~/.claude/agents, .claude/agents) as the session
        request.setting("native_agent").ifPresent(agent -> argv.addAll(List.of("--agent", agent)));
        request.systemPrompt().ifPresent(p -> argv.addAll(List.of("--append-system-prompt", p)));
        request.model().ifPresent(m -> argv.addAll(List.of("--model", m)));
        Map<String, String> env = new HashMap<>(Map.of("CLAUDE_CONFIG_DIR", configDir.toString(),
                "DISABLE_AUTOUPDATER", "1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                // a handoff lasts as long as its worker works: let a caod tool call run that long
                "MCP_TOOL_TIMEOUT", String.valueOf(LONGEST_TOOL_CALL.toMillis())));
        if (request.autoApprove()) {
            argv.add("--dangerously-skip-permissions");
            if (isRoot()) {
                env.put("IS_SANDBOX", "1"); // Claude refuses the bypass flag as root otherwise (containers, CI)
            }
        }
        return new LaunchPlan(argv, env);
    }

    private static String toolName(String tool) {
        return CAOD_TOOLS.contains(tool) ? "mcp__caod__" + tool : tool;
    }

    private static Path userConfigDir(Map<String, String> env) {
        String dir = env.get("CLAUDE_CONFIG_DIR");
        return dir != null ? Path.of(dir) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".claude");
    }

    /** The user's global config (or an empty one) plus the flags that skip the first-run dialogs. */
    private static void seedGlobalConfig(Path configDir, Path userDir, LaunchRequest request) throws IOException {
        Path userGlobal = Files.isRegularFile(userDir.resolve(".claude.json")) ? userDir.resolve(".claude.json")
                : userDir.getParent().resolve(".claude.json");
        ObjectNode global = Files.isRegularFile(userGlobal) ? (ObjectNode) JSON.readTree(userGlobal.toFile())
                : JSON.createObjectNode();
        global.put("hasCompletedOnboarding", true);
        if (!global.has("theme")) {
            global.put("theme", "dark");
        }
        global.put("autoUpdates", false);
        global.put("bypassPermissionsModeAccepted", true);
        String key = request.env().get("ANTHROPIC_API_KEY");
        if (key != null && key.length() >= 20) {
            ObjectNode responses = global.has("customApiKeyResponses")
                    ? (ObjectNode) global.get("customApiKeyResponses") : global.putObject("customApiKeyResponses");
            if (!responses.has("approved")) {
                responses.putArray("approved");
            }
            if (!responses.has("rejected")) {
                responses.putArray("rejected");
            }
            ((com.fasterxml.jackson.databind.node.ArrayNode) responses.get("approved")).add(key.substring(key.length() - 20));
        }
        ObjectNode projects = global.has("projects") ? (ObjectNode) global.get("projects") : global.putObject("projects");
        ObjectNode project = projects.has(request.workingDirectory().toString())
                ? (ObjectNode) projects.get(request.workingDirectory().toString())
                : projects.putObject(request.workingDirectory().toString());
        project.put("hasTrustDialogAccepted", true);
        project.put("hasCompletedProjectOnboarding", true);
        Files.writeString(configDir.resolve(".claude.json"), JSON.writeValueAsString(global));
    }

    private static void seedSettings(Path configDir, Path userDir) throws IOException {
        Path user = userDir.resolve("settings.json");
        ObjectNode settings = Files.isRegularFile(user) ? (ObjectNode) JSON.readTree(user.toFile())
                : JSON.createObjectNode();
        settings.put("skipDangerousModePermissionPrompt", true);
        Files.writeString(configDir.resolve("settings.json"), JSON.writeValueAsString(settings));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
