package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A throw-away HOME standing for a user who has set up every agent CLI: each one's own config points it at the
 * scripted fake model (the way a user points it at their account), so caod adds only what it adds for a real user.
 * One home serves all CLIs, because a worker started by a handoff inherits its session's environment.
 */
final class CliUserHome {

    static final String ANTHROPIC_KEY = "sk-ant-fake-000000000000000000000000";

    private CliUserHome() {
    }

    /** Writes every CLI's user config into {@code home}; returns the environment the session needs. */
    static Map<String, String> prepare(Path home, Path bin, String modelBaseUrl) throws IOException {
        Files.createDirectories(home.resolve("work"));
        claude(home);
        codex(home, modelBaseUrl);
        gemini(home);
        qwen(home, modelBaseUrl);
        opencode(home, modelBaseUrl);
        Map<String, String> env = new HashMap<>();
        env.put("ANTHROPIC_BASE_URL", modelBaseUrl);
        env.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
        env.put("CODEX_HOME", home.resolve(".codex").toString());
        env.put("FAKE_API_KEY", "fake");
        env.put("GEMINI_API_KEY", "fake-gemini-key");
        env.put("GOOGLE_GEMINI_BASE_URL", modelBaseUrl);
        // opencode keeps everything in the XDG folders: the user's, under this home
        for (String[] xdg : new String[][] { { "XDG_CONFIG_HOME", ".config" }, { "XDG_DATA_HOME", ".local/share" },
                { "XDG_CACHE_HOME", ".cache" }, { "XDG_STATE_HOME", ".local/state" } }) {
            env.put(xdg[0], home.resolve(xdg[1]).toString());
        }
        return RealCli.env(home, bin, env);
    }

    /** Onboarding done; caod seeds the rest (API key approval, folder trust) into its per-terminal config. */
    private static void claude(Path home) throws IOException {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude.json"), "{\"hasCompletedOnboarding\": true, \"theme\": \"dark\"}");
    }

    /** API-key login, no folder-trust prompts; caod adds its MCP server through a system-settings overlay. */
    private static void gemini(Path home) throws IOException {
        Files.createDirectories(home.resolve(".gemini"));
        Files.writeString(home.resolve(".gemini/settings.json"), """
                {"security": {"auth": {"selectedType": "gemini-api-key"}, "folderTrust": {"enabled": false}},
                 "privacy": {"usageStatisticsEnabled": false}}
                """);
    }

    /** The fake model as an OpenAI-compatible provider. */
    private static void qwen(Path home, String modelBaseUrl) throws IOException {
        Files.createDirectories(home.resolve(".qwen"));
        Files.writeString(home.resolve(".qwen/settings.json"), """
                {"modelProviders": {"openai": [{"id": "fake-model", "name": "fake-model", "baseUrl": "%s/v1",
                                                "description": "scripted fake model", "envKey": "FAKE_API_KEY"}]},
                 "security": {"auth": {"selectedType": "openai"}, "folderTrust": {"enabled": false}},
                 "model": {"name": "fake-model"},
                 "privacy": {"usageStatisticsEnabled": false}}
                """.formatted(modelBaseUrl));
    }

    /** The fake model through opencode's bundled OpenAI-compatible provider. */
    private static void opencode(Path home, String modelBaseUrl) throws IOException {
        Files.createDirectories(home.resolve(".config/opencode"));
        Files.writeString(home.resolve(".config/opencode/opencode.json"), """
                {"model": "fake/fake-model", "small_model": "fake/fake-model",
                 "provider": {"fake": {"npm": "@ai-sdk/openai-compatible", "name": "Fake",
                                       "options": {"baseURL": "%s/v1", "apiKey": "fake-key"},
                                       "models": {"fake-model": {"name": "Fake Model", "tool_call": true}}}}}
                """.formatted(modelBaseUrl));
    }

    /** The fake provider as the user's model provider; caod adds only -c overrides. */
    private static void codex(Path home, String modelBaseUrl) throws IOException {
        Files.createDirectories(home.resolve(".codex"));
        Files.writeString(home.resolve(".codex/config.toml"), """
                model = "fake-model"
                model_provider = "fake"

                [model_providers.fake]
                name = "Fake"
                base_url = "%s/v1"
                env_key = "FAKE_API_KEY"
                wire_api = "responses"

                [tui]
                screen_reader_detection_done = true
                """.formatted(modelBaseUrl));
    }
}
