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
        Map<String, String> env = new HashMap<>();
        env.put("ANTHROPIC_BASE_URL", modelBaseUrl);
        env.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
        env.put("CODEX_HOME", home.resolve(".codex").toString());
        env.put("FAKE_API_KEY", "fake");
        return RealCli.env(home, bin, env);
    }

    /** Onboarding done; caod seeds the rest (API key approval, folder trust) into its per-terminal config. */
    private static void claude(Path home) throws IOException {
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude.json"), "{\"hasCompletedOnboarding\": true, \"theme\": \"dark\"}");
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
