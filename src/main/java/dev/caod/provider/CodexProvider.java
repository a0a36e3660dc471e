package dev.caod.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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
        override(argv, "projects." + toml(request.workingDirectory().toString()) + ".trust_level", toml("trusted"));
        if (request.mcpUrl().isPresent()) {
            override(argv, "mcp_servers.caod.url", toml(request.mcpUrl().get()));
            override(argv, "mcp_servers.caod.bearer_token_env_var", toml("CAOD_MCP_TOKEN"));
        }
        request.systemPrompt().ifPresent(p -> override(argv, "developer_instructions", toml(p)));
        request.model().ifPresent(m -> argv.addAll(List.of("--model", m)));
        if (request.autoApprove()) {
            argv.add("--dangerously-bypass-approvals-and-sandbox");
        } else {
            argv.addAll(List.of("--ask-for-approval", "on-request"));
        }
        return new LaunchPlan(argv, request.mcpUrl().isPresent() ? Map.of("CAOD_MCP_TOKEN", request.mcpToken()) : Map.of());
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
