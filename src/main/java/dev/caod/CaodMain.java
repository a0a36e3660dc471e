package dev.caod;

import dev.caod.cli.CaodCli;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The single entry point of the {@code caod} binary. It dispatches on the arguments before Quarkus boots, so a
 * client command neither binds a port nor opens the database; only {@code caod serve} starts the daemon.
 */
@QuarkusMain
public final class CaodMain {

    private CaodMain() {
    }

    public static void main(String... args) {
        System.exit(CaodCli.execute(args));
    }
}
