package dev.caod.flow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A flow's optional script: run from the flow's folder as an argument vector (never through a shell), bounded in
 * time, and read as {@code {"execute": bool, "output": {vars}}}. Every way it can go wrong becomes an error text that
 * says what the script did and what was expected.
 */
@ApplicationScoped
public class FlowScript {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TAIL = 400;

    /** Whether to run, the prompt's variables, or why the script failed. */
    public record Decision(boolean execute, Map<String, String> output, String error) {
        static Decision go(Map<String, String> output) {
            return new Decision(true, output, null);
        }

        static Decision failed(String error) {
            return new Decision(false, Map.of(), error);
        }
    }

    private final FlowSettings settings;

    public FlowScript(FlowSettings settings) {
        this.settings = settings;
    }

    public Decision decide(FlowDefinition flow) {
        if (flow.script().isEmpty()) {
            return Decision.go(Map.of());
        }
        Path folder = Path.of(flow.file()).toAbsolutePath().getParent();
        Path program = folder.resolve(flow.script().getFirst()).normalize();
        if (!program.startsWith(folder)) {
            return Decision.failed("script: " + flow.script().getFirst() + " lies outside the flow's folder " + folder
                    + "; put the script beside the flow file");
        }
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            return Decision.failed("script: " + program + (Files.exists(program) ? " is not executable (chmod +x it)"
                    : " does not exist"));
        }
        List<String> argv = new ArrayList<>(flow.script());
        argv.set(0, program.toString());
        Process p;
        try {
            p = new ProcessBuilder(argv).directory(folder.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
        } catch (IOException e) {
            return Decision.failed("script: " + program + " could not be started: " + e.getMessage());
        }
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try {
            if (!p.waitFor(settings.scriptTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return Decision.failed("script: " + program.getFileName() + " ran longer than "
                        + settings.scriptTimeout().toSeconds() + " s (caod.flows.script-timeout) and was stopped");
            }
            String stdout = out.get(5, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                return Decision.failed("script: " + program.getFileName() + " exited with status " + p.exitValue()
                        + tail(err.get(5, TimeUnit.SECONDS)));
            }
            return parse(program.getFileName().toString(), stdout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return Decision.failed("script: interrupted (caod is stopping)");
        } catch (Exception e) {
            return Decision.failed("script: " + program.getFileName() + ": " + e.getMessage());
        }
    }

    static Decision parse(String script, String stdout) {
        JsonNode root;
        try {
            root = JSON.readTree(stdout);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return Decision.failed("script: " + script + " must print one JSON object like {\"execute\": true,"
                    + " \"output\": {\"name\": \"value\"}}; it printed" + tail(stdout));
        }
        JsonNode execute = root.get("execute");
        if (execute == null || !execute.isBoolean()) {
            return Decision.failed("script: " + script + " printed no boolean \"execute\" field" + tail(stdout));
        }
        Map<String, String> vars = new LinkedHashMap<>();
        JsonNode output = root.get("output");
        if (output != null && !output.isNull()) {
            if (!output.isObject()) {
                return Decision.failed("script: " + script + "'s \"output\" must be an object of placeholder values");
            }
            output.properties().forEach(e -> vars.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                    : e.getValue().toString()));
        }
        return new Decision(execute.asBoolean(), Map.copyOf(vars), null);
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    private static String tail(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return " (nothing)";
        }
        return ": " + (t.length() > TAIL ? "…" + t.substring(t.length() - TAIL) : t);
    }
}
