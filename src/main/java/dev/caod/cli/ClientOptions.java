package dev.caod.cli;

import java.nio.file.Path;
import java.time.Duration;

import dev.caod.daemon.DaemonPaths;
import picocli.CommandLine.Option;

/** How a client command reaches the daemon and prints its answer; mixed into every command that talks to it. */
public final class ClientOptions {

    public enum Format {
        text, json
    }

    @Option(names = "--socket", paramLabel = "PATH",
            description = "The daemon's Unix socket (default: from CAOD_HOME or XDG_RUNTIME_DIR; see `caod doctor`).")
    Path socket;

    @Option(names = "--tcp", paramLabel = "HOST:PORT",
            description = "Use the daemon's loopback TCP port instead of the socket (needs caod.grpc.tcp.enabled=true"
                    + " and a token).")
    String tcp;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Token for --tcp (default: <state-dir>/grpc-token).")
    Path tokenFile;

    @Option(names = { "-o", "--output" }, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format output = Format.text;

    @Option(names = "--call-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Give up on the daemon after this many seconds (default: ${DEFAULT-VALUE}).")
    long callTimeoutSeconds = 15;

    public Path socketPath() {
        return socket != null ? socket : DaemonPaths.fromEnvironment().defaultSocket();
    }

    public Path tokenFilePath() {
        return tokenFile != null ? tokenFile : DaemonPaths.fromEnvironment().stateDir().resolve("grpc-token");
    }

    public boolean json() {
        return output == Format.json;
    }

    public Duration callTimeout() {
        return Duration.ofSeconds(callTimeoutSeconds);
    }
}
