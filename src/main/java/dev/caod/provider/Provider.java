package dev.caod.provider;

import java.io.IOException;

/**
 * One supported agent CLI. The logic half lives here (how to launch it with a profile's prompt, model and MCP
 * server); the pattern half (status markers, answer layout, start-up dialogs) is data in its {@link ProviderRules}.
 */
public interface Provider {

    /**
     * How long an agent's CLI should let one caod tool call run: a handoff waits for its worker (at most 24 h, the
     * largest timeout_seconds caod accepts), and most CLIs give up on a tool after a minute or so by default.
     */
    java.time.Duration LONGEST_TOOL_CALL = java.time.Duration.ofHours(24);

    /** The provider's name as users write it: {@code claude_code}, {@code codex}, {@code demo} … */
    String name();

    /**
     * Prepares per-terminal files under {@link LaunchRequest#terminalDir()} and returns the command line. Never
     * writes the user's own global settings.
     */
    LaunchPlan launch(LaunchRequest request) throws IOException;
}
