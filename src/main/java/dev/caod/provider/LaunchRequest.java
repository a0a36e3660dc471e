package dev.caod.provider;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider needs to start its CLI for one terminal.
 *
 * @param terminalId    caod's id of the terminal
 * @param profile       the profile name (the demo provider picks its script by it)
 * @param workingDirectory where the CLI runs
 * @param terminalDir   a private folder for this terminal's generated config files (removed when it closes)
 * @param systemPrompt  the profile's role prompt, if any
 * @param model         the profile's model, if any
 * @param mcpUrl        caod's MCP endpoint for this agent, if served
 * @param mcpToken      the terminal's own MCP credential
 * @param autoApprove   let the CLI run tools without asking (false: its permission dialogs show, and the terminal
 *                      goes to waiting_user_answer until someone answers)
 * @param env           the environment the CLI will get (daemon's filtered variables plus forwarded ones)
 * @param mcpServers    the profile's extra MCP servers (besides caod's own)
 * @param allowedTools  the profile's tool list; empty = the CLI's defaults
 * @param settings      the profile's section for this provider (e.g. {@code claude_code: {native_agent: …}}), or empty
 */
public record LaunchRequest(String terminalId, String profile, Path workingDirectory, Path terminalDir, Optional<String> systemPrompt,
        Optional<String> model, Optional<String> mcpUrl, String mcpToken, boolean autoApprove, Map<String, String> env,
        java.util.List<dev.caod.profile.McpServerSpec> mcpServers, java.util.List<String> allowedTools, Map<String, Object> settings) {

    /** A string setting of the profile's section for this provider. */
    public Optional<String> setting(String key) {
        Object v = settings.get(key);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString());
    }
}
