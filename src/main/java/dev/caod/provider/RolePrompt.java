package dev.caod.provider;

import java.util.Optional;

/**
 * The role prompt as the CLIs without a per-process tool allow-list get it: a profile's tool list is stated in the
 * prompt instead (a soft restriction; Claude Code, Q CLI and Kiro CLI enforce theirs).
 */
final class RolePrompt {

    private RolePrompt() {
    }

    static Optional<String> withToolRule(LaunchRequest request) {
        if (request.allowedTools().isEmpty()) {
            return request.systemPrompt();
        }
        String rule = "Use only these tools: " + String.join(", ", request.allowedTools()) + ".";
        return Optional.of(request.systemPrompt().map(p -> p + "\n\n" + rule).orElse(rule));
    }
}
