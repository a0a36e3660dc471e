package dev.caod.provider;

import java.util.List;

/**
 * The agent CLIs caod drives: which binary each provider runs and how a user installs it. The provider manifests
 * (a later part) say how to drive them; this is only what {@code caod doctor} needs to tell a user what is missing.
 */
public enum AgentCli {
    CLAUDE_CODE("claude_code", "claude", "npm install -g @anthropic-ai/claude-code"),
    CODEX("codex", "codex", "npm install -g @openai/codex"),
    GEMINI_CLI("gemini_cli", "gemini", "npm install -g @google/gemini-cli"),
    QWEN_CODE("qwen_code", "qwen", "npm install -g @qwen-code/qwen-code"),
    OPENCODE("opencode", "opencode", "npm install -g opencode-ai"),
    Q_CLI("q_cli", "q", "install Amazon Q Developer CLI from AWS (no npm or Debian package)"),
    KIRO_CLI("kiro_cli", "kiro-cli", "install Kiro CLI from kiro.dev (no npm or Debian package)");

    private final String provider;
    private final String binary;
    private final String installHint;

    AgentCli(String provider, String binary, String installHint) {
        this.provider = provider;
        this.binary = binary;
        this.installHint = installHint;
    }

    public String provider() {
        return provider;
    }

    public String binary() {
        return binary;
    }

    public String installHint() {
        return installHint;
    }

    public static List<AgentCli> all() {
        return List.of(values());
    }
}
