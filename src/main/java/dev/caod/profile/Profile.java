package dev.caod.profile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An agent definition: the front matter's fields and the markdown body, which is the role prompt.
 *
 * @param providerSettings the provider-specific sections ({@code claude_code:}, {@code codex:} …), by provider
 * @param source           {@code user} or {@code builtin}
 * @param file             where it was read from
 */
public record Profile(String name, String description, String role, Optional<String> provider,
        Optional<String> model, List<McpServerSpec> mcpServers, List<String> allowedTools,
        Map<String, Map<String, Object>> providerSettings, String prompt, String source, String file) {

    public boolean isSupervisor() {
        return "supervisor".equals(role);
    }
}
