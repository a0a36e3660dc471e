package dev.caod.terminal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Terminal runtime settings ({@code caod.terminal.*}); docs/configuration.md documents each key. */
@ConfigMapping(prefix = "caod.terminal")
public interface TerminalSettings {

    /** Output must pause this long before a prompt on screen is believed (idle/completed). */
    @WithDefault("40ms")
    Duration settle();

    /** While output keeps coming, the screen is still looked at this often (busy states show up at once). */
    @WithDefault("250ms")
    Duration maxSettle();

    /** Safety net: a terminal not looked at for this long is re-checked, in case its output stream stalled. */
    @WithDefault("2s")
    Duration recheck();

    /** After Enter, how long to wait for the CLI to react before pressing Enter again. */
    @WithDefault("3s")
    Duration submitVerify();

    /** How many times Enter is re-sent when the CLI did not react. */
    @WithDefault("2")
    int resubmits();

    /** How long a CLI may take to show its ready prompt. */
    @WithDefault("120s")
    Duration startupTimeout();

    /**
     * For CLIs whose manifest says {@code ready_needs_mcp}: how long after its prompt shows caod waits for it to list
     * caod's MCP tools before calling it ready anyway (and saying so in the lifecycle event).
     */
    @WithDefault("30s")
    Duration mcpConnectTimeout();

    /** The provider used when neither the request nor the profile names one. */
    @WithDefault("claude_code")
    String defaultProvider();

    /** Let CLIs run tools without asking (their bypass flags); false shows their permission dialogs. */
    @WithDefault("true")
    boolean autoApprove();

    /**
     * Variables passed from the daemon's environment to every CLI, besides the base set (PATH, HOME, USER, LANG,
     * LC_*, TZ, TMPDIR, XDG_*) and the credential prefixes (ANTHROPIC_, CLAUDE_, OPENAI_, CODEX_, GEMINI_, GOOGLE_,
     * QWEN_, DASHSCOPE_, OPENCODE_, AWS_, proxies and CA bundles).
     */
    Optional<List<String>> envPassthrough();
}
