package dev.caod.provider;

import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code kiro_cli}: Kiro CLI ({@code kiro-cli chat}), the successor of Amazon Q Developer CLI. The profile becomes
 * the agent {@code caod-<profile>} in {@code ~/.kiro/agents/}. With {@code --trust-all-tools} it asks for consent
 * once at start; providers/kiro_cli.yaml answers that dialog.
 */
@ApplicationScoped
public class KiroCliProvider extends NativeAgentCliProvider {

    @Override
    public String name() {
        return "kiro_cli";
    }

    @Override
    String binary() {
        return "kiro-cli";
    }

    @Override
    Path agentsDir(Path home) {
        return home.resolve(".kiro").resolve("agents");
    }

    /**
     * The line UI: its answers start with a {@code > } marker and end at the next prompt, which caod's answer
     * extraction reads whole; the newer full-screen UI has no such marker (its answer is framed by separators and a
     * credits line). Upstream CAO falls back to it too when the new UI does not start.
     */
    @Override
    List<String> uiOptions() {
        return List.of("--legacy-ui");
    }
}
