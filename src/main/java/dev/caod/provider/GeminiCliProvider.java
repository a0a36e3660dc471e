package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code gemini_cli}: Google's Gemini CLI. Per terminal: a system-settings overlay (caod's MCP server, no update
 * checks) and the role prompt as a context file in an included folder, since Gemini has no flag that adds to its
 * system prompt (GEMINI_SYSTEM_MD would replace its own instructions). It runs without re-launching itself: the
 * re-launched child would start its own process session and outlive the pane.
 */
@ApplicationScoped
public class GeminiCliProvider implements Provider {

    @Override
    public String name() {
        return "gemini_cli";
    }

    @Override
    public LaunchPlan launch(LaunchRequest request) throws IOException {
        GeminiSettings settings = new GeminiSettings().mcpServers(request);
        settings.section("general").put("enableAutoUpdate", false).put("enableAutoUpdateNotification", false);
        List<String> argv = new ArrayList<>(List.of("gemini"));
        Optional<String> prompt = RolePrompt.withToolRule(request);
        if (prompt.isPresent()) {
            Path roleDir = request.terminalDir().resolve("role");
            Files.createDirectories(roleDir);
            Files.writeString(roleDir.resolve("GEMINI.md"), prompt.get());
            settings.section("context").put("loadMemoryFromIncludeDirectories", true);
            argv.addAll(List.of("--include-directories", roleDir.toString()));
        }
        Path file = settings.write(request.terminalDir().resolve("gemini-settings.json"));
        request.model().ifPresent(m -> argv.addAll(List.of("--model", m)));
        argv.addAll(request.autoApprove() ? List.of("--yolo") : List.of("--approval-mode", "default"));
        return new LaunchPlan(argv, Map.of("GEMINI_CLI_SYSTEM_SETTINGS_PATH", file.toString(),
                "GEMINI_CLI_NO_RELAUNCH", "true"));
    }
}
