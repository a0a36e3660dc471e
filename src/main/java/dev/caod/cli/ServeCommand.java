package dev.caod.cli;

import java.util.concurrent.Callable;

import dev.caod.daemon.DaemonBootstrap;
import dev.caod.daemon.DaemonPaths;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code caod serve}: the only command that boots Quarkus. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = { "Run the caod daemon in the foreground (systemd runs it this way).",
                "gRPC on the Unix socket <runtime-dir>/caod.sock, HTTP (health, MCP) on 127.0.0.1.",
                "Folders come from CAOD_HOME, else XDG_CONFIG_HOME / XDG_STATE_HOME / XDG_RUNTIME_DIR;",
                "settings from <config-dir>/config.properties, -Dkey=value or the environment." })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            DaemonBootstrap.prepare(DaemonPaths.fromEnvironment());
        } catch (DaemonBootstrap.RefusedToStart e) {
            spec.commandLine().getErr().println("caod serve: " + e.getMessage());
            return ExitCode.SERVE_REFUSED;
        }
        // blocks until SIGTERM/SIGINT, then exits the JVM with Quarkus's exit code
        Quarkus.run();
        return ExitCode.OK;
    }
}
