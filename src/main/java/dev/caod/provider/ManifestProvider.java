package dev.caod.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A provider defined entirely by a manifest dropped into {@code <config>/providers/}: its {@code launch:} section
 * says how to start the CLI, its patterns how to read its screen. The manifest is re-read when it changes, so a
 * launch line is fixed without restarting caod.
 */
final class ManifestProvider implements Provider {

    private final String name;
    private final Supplier<ProviderRules.Compiled> rules;

    ManifestProvider(String name, Supplier<ProviderRules.Compiled> rules) {
        this.name = name;
        this.rules = rules;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LaunchPlan launch(LaunchRequest request) throws IOException {
        ProviderRules.LaunchSpec spec = rules.get().launch.orElseThrow(() -> new IOException("the manifest of "
                + name + " lost its `launch:` section; add it back or remove the file"));
        Files.createDirectories(request.terminalDir());
        Map<String, String> values = new HashMap<>();
        values.put("terminal_id", request.terminalId());
        values.put("profile", request.profile());
        values.put("working_directory", request.workingDirectory().toString());
        values.put("terminal_dir", request.terminalDir().toString());
        request.model().ifPresent(m -> values.put("model", m));
        request.systemPrompt().ifPresent(p -> values.put("system_prompt", p));
        if (request.systemPrompt().isPresent()) {
            Path prompt = request.terminalDir().resolve("system-prompt.md");
            Files.writeString(prompt, request.systemPrompt().get());
            values.put("system_prompt_file", prompt.toString());
        }
        request.mcpUrl().ifPresent(u -> values.put("mcp_url", u));
        values.put("mcp_token", request.mcpToken());
        values.put("mcp_authorization", "Bearer " + request.mcpToken());
        Map<String, String> json = Map.of("mcp_bridge", bridge(request));

        List<String> argv = new ArrayList<>(LaunchTemplate.renderAll(spec.command(), values, json));
        if (request.model().isPresent()) {
            argv.addAll(LaunchTemplate.renderAll(spec.whenModel(), values, json));
        }
        if (request.systemPrompt().isPresent()) {
            argv.addAll(LaunchTemplate.renderAll(spec.whenSystemPrompt(), values, json));
        }
        argv.addAll(LaunchTemplate.renderAll(request.autoApprove() ? spec.whenAutoApprove() : spec.whenAsking(),
                values, json));
        if (spec.files() != null) {
            for (var file : spec.files().entrySet()) {
                Files.writeString(request.terminalDir().resolve(file.getKey()),
                        LaunchTemplate.render(file.getValue(), values, json));
            }
        }
        Map<String, String> env = new HashMap<>();
        request.mcpUrl().ifPresent(u -> env.put("CAOD_MCP_URL", u));
        env.put("CAOD_MCP_TOKEN", request.mcpToken());
        if (spec.env() != null) {
            spec.env().forEach((k, v) -> env.put(k, LaunchTemplate.render(v, values, json)));
        }
        return new LaunchPlan(argv, env);
    }

    /** {@code caod mcp --url …} as a JSON array; the bridge takes the token from CAOD_MCP_TOKEN in its environment. */
    private static String bridge(LaunchRequest request) throws IOException {
        List<String> command = new ArrayList<>(DemoProvider.selfCommand(request.terminalDir()));
        command.add("mcp");
        request.mcpUrl().ifPresent(u -> command.addAll(List.of("--url", u)));
        StringBuilder out = new StringBuilder("[");
        for (String part : command) {
            out.append(out.length() > 1 ? "," : "").append(LaunchTemplate.jsonString(part));
        }
        return out.append("]").toString();
    }
}
