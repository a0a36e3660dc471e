package dev.caod.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.caod.profile.McpServerSpec;

/**
 * {@code codex}: OpenAI Codex CLI. It runs on the user's own {@code CODEX_HOME}: a private home per terminal would
 * start a {@code codex app-server} daemon per terminal that outlives it. Everything per terminal (the MCP server,
 * folder trust, instructions, no update check) is passed as {@code -c key=value} overrides, which Codex applies for
 * that process only, so the user's {@code config.toml} is never rewritten.
 */
@ApplicationScoped
public class CodexProvider implements Provider {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "codex";
    }

    @Override
    public LaunchPlan launch(LaunchRequest request) {
        // inline rendering: with the alternate screen tmux keeps only the last screenful, and long answers are lost
        List<String> argv = new ArrayList<>(List.of("codex", "--no-alt-screen"));
        override(argv, "check_for_update_on_startup", "false");
        // Codex asks to trust the folder (inside a git repository: the repository's root). Its -c keys split on
        // every dot, so a path cannot be a key segment: the projects table is passed whole, as an inline table.
        StringBuilder projects = new StringBuilder("{").append(toml(request.workingDirectory().toString()))
                .append("={trust_level=\"trusted\"}");
        gitRoot(request.workingDirectory()).filter(root -> !root.equals(request.workingDirectory())).ifPresent(root ->
                projects.append(",").append(toml(root.toString())).append("={trust_level=\"trusted\"}"));
        override(argv, "projects", projects.append("}").toString());
        if (request.mcpUrl().isPresent()) {
            override(argv, "mcp_servers.caod.url", toml(request.mcpUrl().get()));
            override(argv, "mcp_servers.caod.bearer_token_env_var", toml("CAOD_MCP_TOKEN"));
            // a handoff lasts as long as its worker works; Codex gives up on a tool after 60 s by default
            override(argv, "mcp_servers.caod.tool_timeout_sec", String.valueOf(LONGEST_TOOL_CALL.toSeconds()));
        }
        for (McpServerSpec spec : request.mcpServers()) {
            String key = "mcp_servers." + spec.name();
            if (spec.isHttp()) {
                override(argv, key + ".url", toml(spec.url()));
                if (!spec.headers().isEmpty()) {
                    override(argv, key + ".http_headers", inlineTable(spec.headers()));
                }
            } else {
                override(argv, key + ".command", toml(spec.command()));
                override(argv, key + ".args", "[" + String.join(",", spec.args().stream().map(CodexProvider::toml)
                        .toList()) + "]");
                if (!spec.env().isEmpty()) {
                    override(argv, key + ".env", inlineTable(spec.env()));
                }
            }
        }
        RolePrompt.withToolRule(request).ifPresent(p -> override(argv, "developer_instructions", toml(p)));
        request.model().ifPresent(m -> argv.addAll(List.of("--model", m)));
        if (request.autoApprove()) {
            argv.add("--dangerously-bypass-approvals-and-sandbox");
        } else {
            argv.addAll(List.of("--ask-for-approval", "on-request"));
        }
        return new LaunchPlan(argv, request.mcpUrl().isPresent() ? Map.of("CAOD_MCP_TOKEN", request.mcpToken()) : Map.of());
    }

    private static java.util.Optional<java.nio.file.Path> gitRoot(java.nio.file.Path dir) {
        for (java.nio.file.Path d = dir; d != null; d = d.getParent()) {
            if (java.nio.file.Files.exists(d.resolve(".git"))) {
                return java.util.Optional.of(d);
            }
        }
        return java.util.Optional.empty();
    }

    private static String inlineTable(Map<String, String> values) {
        return "{" + String.join(",", values.entrySet().stream().map(e -> toml(e.getKey()) + "=" + toml(e.getValue()))
                .toList()) + "}";
    }

    private static void override(List<String> argv, String key, String tomlValue) {
        argv.add("-c");
        argv.add(key + "=" + tomlValue);
    }

    /** A TOML basic string: JSON's string escapes are valid TOML escapes. */
    private static String toml(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
