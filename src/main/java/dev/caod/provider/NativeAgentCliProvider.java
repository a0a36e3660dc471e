package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launch shared by the CLIs that run a profile as their native custom agent (Amazon Q Developer CLI, Kiro CLI):
 * write the agent file (see {@link NativeAgentFile}), then {@code <binary> chat … --agent caod-<profile>}. They
 * differ only in binary, agent folder and UI options.
 */
abstract class NativeAgentCliProvider implements Provider {

    /** The executable, e.g. {@code q}. */
    abstract String binary();

    /** Where this CLI reads the user's agents from, under the user's home. */
    abstract Path agentsDir(Path home);

    /** Options that pick the screen format the provider manifest is written for. */
    abstract List<String> uiOptions();

    @Override
    public LaunchPlan launch(LaunchRequest request) throws IOException {
        String agent = NativeAgentFile.write(agentsDir(NativeAgentFile.home(request.env())), request);
        List<String> argv = new ArrayList<>(List.of(binary(), "chat"));
        argv.addAll(uiOptions());
        argv.addAll(List.of("--agent", agent));
        request.model().ifPresent(m -> argv.addAll(List.of("--model", m)));
        if (request.autoApprove()) {
            argv.add("--trust-all-tools");
        }
        return new LaunchPlan(argv, NativeAgentFile.env(request));
    }
}
