package dev.caod.provider;

import java.io.IOException;

/**
 * One supported agent CLI. The logic half lives here (how to launch it with a profile's prompt, model and MCP
 * server); the pattern half (status markers, answer layout, start-up dialogs) is data in its {@link ProviderRules}.
 */
public interface Provider {

    /** The provider's name as users write it: {@code claude_code}, {@code codex}, {@code demo} … */
    String name();

    /**
     * Prepares per-terminal files under {@link LaunchRequest#terminalDir()} and returns the command line. Never
     * writes the user's own global settings.
     */
    LaunchPlan launch(LaunchRequest request) throws IOException;
}
