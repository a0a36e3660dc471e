package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code qwen_code}: Qwen Code (a Gemini CLI fork). Per terminal: a system-settings overlay with caod's MCP server,
 * and {@code tool_search} excluded, because Qwen otherwise hides MCP tools behind it and the model would not see
 * handoff or send_message until it searched for them.
 */
@ApplicationScoped
public class QwenCodeProvider implements Provider {

    @Override
    public String name() {
        return "qwen_code";
    }

    @Override
    public LaunchPlan launch(LaunchRequest request) throws IOException {
        GeminiSettings settings = new GeminiSettings().mcpServers(request);
        settings.section("tools").putArray("exclude").add("tool_search");
        settings.section("general").put("enableAutoUpdate", false).put("disableAutoUpdate", true)
                .put("disableUpdateNag", true);
        Path file = settings.write(request.terminalDir().resolve("qwen-settings.json"));
        List<String> argv = new ArrayList<>(List.of("qwen"));
        RolePrompt.withToolRule(request).ifPresent(p -> argv.addAll(List.of("--append-system-prompt", p)));
        request.model().ifPresent(m -> argv.addAll(List.of("--model", m)));
        argv.addAll(request.autoApprove() ? List.of("--yolo") : List.of("--approval-mode", "default"));
        return new LaunchPlan(argv, Map.of("QWEN_CODE_SYSTEM_SETTINGS_PATH", file.toString(),
                "QWEN_CODE_NO_RELAUNCH", "true"));
    }
}
