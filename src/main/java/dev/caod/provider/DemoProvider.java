package dev.caod.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.caod.daemon.DaemonConfig;

/**
 * {@code demo}: caod's own scripted agent CLI ({@code caod demo-agent}), run on the same JVM and jar as the daemon.
 * Its script is looked up by the terminal's profile name: {@code <config>/demo/<profile>.yaml}, then the built-in
 * {@code demo/<profile>.yaml}, then the built-in {@code demo/default.yaml}.
 */
@ApplicationScoped
public class DemoProvider implements Provider {

    private final Path userScripts;

    @jakarta.inject.Inject
    public DemoProvider(DaemonConfig config) {
        this(config.configDir().resolve("demo"));
    }

    DemoProvider(Path userScripts) {
        this.userScripts = userScripts;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public LaunchPlan launch(LaunchRequest request) throws IOException {
        Path script = script(request.profile(), request.terminalDir());
        List<String> argv = new ArrayList<>(selfCommand(request.terminalDir()));
        argv.addAll(List.of("demo-agent", "--script", script.toString(), "--name", request.profile()));
        Map<String, String> env = request.mcpUrl().isPresent()
                ? Map.of("CAOD_MCP_URL", request.mcpUrl().get(), "CAOD_MCP_TOKEN", request.mcpToken())
                : Map.of("CAOD_MCP_TOKEN", request.mcpToken());
        return new LaunchPlan(argv, env);
    }

    private Path script(String profile, Path terminalDir) throws IOException {
        Path user = userScripts.resolve(profile + ".yaml");
        if (Files.isRegularFile(user)) {
            return user;
        }
        Files.createDirectories(terminalDir);
        Path copy = terminalDir.resolve("demo-script.yaml");
        for (String resource : List.of("demo/" + profile + ".yaml", "demo/default.yaml")) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    return copy;
                }
            }
        }
        throw new IOException("no demo script for profile " + profile + ": put one at " + user);
    }

    /**
     * The java command line that runs caod itself: {@code -jar quarkus-run.jar} when packaged, else the classpath
     * of this JVM (tests, IDE). The JVM options go into an argument file: tmux refuses command lines over a few
     * kilobytes, and a classpath easily exceeds that. Small-footprint flags: fifty idle demo agents must stay cheap.
     * A native image runs itself.
     */
    static List<String> selfCommand(Path terminalDir) throws IOException {
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            // a native caod is its own executable: no JVM, no class path, no options to pass
            return List.of(ProcessHandle.current().info().command().orElseThrow(() -> new IOException(
                    "cannot find caod's own executable to start the demo agent or the MCP bridge")));
        }
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-Xmx64m", "-Xshare:auto",
                // else JUL complains on the agent's screen at exit that the log manager was set too late
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith("quarkus-run.jar")) {
            options.addAll(List.of("-jar", classPath));
        } else {
            options.addAll(List.of("-cp", classPath, "dev.caod.CaodMain"));
        }
        Files.createDirectories(terminalDir);
        Path argFile = terminalDir.resolve("java.args");
        StringBuilder text = new StringBuilder();
        for (String option : options) {
            text.append('"').append(option.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        Files.writeString(argFile, text);
        return List.of(java, "@" + argFile);
    }
}
