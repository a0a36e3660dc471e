package dev.caod.provider;

import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code q_cli}: Amazon Q Developer CLI ({@code q chat}). The profile becomes the agent {@code caod-<profile>} in
 * {@code ~/.aws/amazonq/cli-agents/}. Its status rules (providers/q_cli.yaml) are written from the documented line
 * UI, not from recordings.
 */
@ApplicationScoped
public class QCliProvider extends NativeAgentCliProvider {

    @Override
    public String name() {
        return "q_cli";
    }

    @Override
    String binary() {
        return "q";
    }

    @Override
    Path agentsDir(Path home) {
        return home.resolve(".aws").resolve("amazonq").resolve("cli-agents");
    }

    @Override
    List<String> uiOptions() {
        return List.of(); // q has only the line UI
    }
}
