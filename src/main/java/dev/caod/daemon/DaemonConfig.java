package dev.caod.daemon;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The daemon's own settings ({@code caod.*}); docs/configuration.md documents each key.
 *
 * <p>The three folders are not user settings: the launcher derives them from {@code CAOD_HOME} or the XDG variables
 * (see {@link DaemonPaths}) before Quarkus boots, so the client and the daemon always agree on the socket.
 */
@ConfigMapping(prefix = "caod")
public interface DaemonConfig {

    @WithName("config-dir")
    Path configDir();

    @WithName("state-dir")
    Path stateDir();

    @WithName("runtime-dir")
    Path runtimeDir();

    Grpc grpc();

    Database database();

    Dashboard dashboard();

    default DaemonPaths paths() {
        return new DaemonPaths(configDir(), stateDir(), runtimeDir());
    }

    interface Grpc {
        /** gRPC (and HTTP) over this Unix socket; the launcher sets it to {@code <runtime-dir>/caod.sock}. */
        Path socket();

        Tcp tcp();
    }

    interface Tcp {
        /**
         * Whether gRPC calls are accepted on the loopback HTTP port. Even then each call must carry
         * {@code authorization: Bearer <token>}; the socket needs no token because its file mode is the guard.
         */
        @WithDefault("false")
        boolean enabled();

        /** Where the token lives (created 0600 on first start); default {@code <state-dir>/grpc-token}. */
        Optional<Path> tokenFile();
    }

    interface Database {
        /** The SQLite file; also used by quarkus.datasource.jdbc.url. */
        Path path();
    }

    interface Dashboard {
        /**
         * Whether the web dashboard ({@code /ui/} and its {@code /api/} gateway) is served on the loopback HTTP port.
         * The page needs the link {@code caod dashboard} prints (a token kept 0600 in the state folder).
         */
        @WithDefault("true")
        boolean enabled();
    }
}
