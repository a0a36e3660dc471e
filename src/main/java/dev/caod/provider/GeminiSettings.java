package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.caod.profile.McpServerSpec;

/**
 * The per-terminal settings file of Gemini CLI and of its fork Qwen Code. Both read a "system settings" file named
 * by an environment variable and merge it over the user's own settings (MCP servers key by key), so caod adds its
 * MCP server and switches off update checks without rewriting the user's {@code settings.json}.
 */
final class GeminiSettings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();

    /** caod's server (streamable HTTP with the terminal's token) and the profile's own servers. */
    GeminiSettings mcpServers(LaunchRequest request) {
        ObjectNode servers = root.putObject("mcpServers");
        request.mcpUrl().ifPresent(url -> {
            ObjectNode caod = servers.putObject("caod").put("httpUrl", url)
                    // trusted servers run their tools without a dialog: only when the user lets tools run unasked
                    .put("trust", request.autoApprove())
                    // a handoff lasts as long as its worker works; the default gives up after ten minutes
                    .put("timeout", Provider.LONGEST_TOOL_CALL.toMillis());
            caod.putObject("headers").put("Authorization", "Bearer " + request.mcpToken());
        });
        for (McpServerSpec spec : request.mcpServers()) {
            ObjectNode server = servers.putObject(spec.name()).put("trust", request.autoApprove());
            if (spec.isHttp()) {
                server.put("httpUrl", spec.url());
                spec.headers().forEach(server.putObject("headers")::put);
            } else {
                server.put("command", spec.command());
                spec.args().forEach(server.putArray("args")::add);
                spec.env().forEach(server.putObject("env")::put);
            }
        }
        return this;
    }

    /** The top-level object of that name, created when missing. */
    ObjectNode section(String name) {
        return root.has(name) ? (ObjectNode) root.get(name) : root.putObject(name);
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return file;
    }
}
