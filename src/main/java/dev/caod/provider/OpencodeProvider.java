package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.caod.profile.McpServerSpec;

/**
 * {@code opencode}: sst's opencode. Everything per terminal goes into {@code OPENCODE_CONFIG_CONTENT}, which opencode
 * merges over the user's own config: caod's MCP server, the role prompt as an instructions file, and whether tools
 * run unasked. Update checks, the model list download and LSP downloads are off: agents start offline and quickly.
 */
@ApplicationScoped
public class OpencodeProvider implements Provider {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "opencode";
    }

    @Override
    public LaunchPlan launch(LaunchRequest request) throws IOException {
        ObjectNode config = JSON.createObjectNode().put("autoupdate", false).put("share", "disabled");
        ObjectNode mcp = config.putObject("mcp");
        request.mcpUrl().ifPresent(url -> {
            ObjectNode caod = mcp.putObject("caod").put("type", "remote").put("url", url).put("enabled", true);
            caod.putObject("headers").put("Authorization", "Bearer " + request.mcpToken());
        });
        for (McpServerSpec spec : request.mcpServers()) {
            ObjectNode server = mcp.putObject(spec.name()).put("enabled", true);
            if (spec.isHttp()) {
                server.put("type", "remote").put("url", spec.url());
                spec.headers().forEach(server.putObject("headers")::put);
            } else {
                server.put("type", "local");
                var command = server.putArray("command").add(spec.command());
                spec.args().forEach(command::add);
                spec.env().forEach(server.putObject("environment")::put);
            }
        }
        config.putObject("permission").put("*", request.autoApprove() ? "allow" : "ask");
        var prompt = RolePrompt.withToolRule(request);
        if (prompt.isPresent()) {
            Files.createDirectories(request.terminalDir());
            Path role = request.terminalDir().resolve("role.md");
            Files.writeString(role, prompt.get());
            config.putArray("instructions").add(role.toString());
        }
        // the inline interface: its history stays in tmux's scrollback (long answers are read whole), no sidebar
        List<String> argv = new ArrayList<>(List.of("opencode", "--mini"));
        request.model().ifPresent(m -> argv.addAll(List.of("--model", m)));
        return new LaunchPlan(argv, Map.of("OPENCODE_CONFIG_CONTENT", JSON.writeValueAsString(config),
                "OPENCODE_DISABLE_AUTOUPDATE", "1", "OPENCODE_DISABLE_MODELS_FETCH", "1",
                "OPENCODE_DISABLE_LSP_DOWNLOAD", "1"));
    }
}
