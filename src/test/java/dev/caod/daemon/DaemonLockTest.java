package dev.caod.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonLockTest {

    @TempDir
    Path tmp;

    @Test
    void secondHolderIsRefusedUntilTheFirstReleases() throws Exception {
        Path file = tmp.resolve("caod.lock");
        // a second process is what a real second daemon is; the same JVM sees an overlapping lock instead
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new String(other.getInputStream().readNBytes("locked\n".length()));
            assertEquals("locked\n", line);
            assertTrue(DaemonLock.tryAcquire(file).isEmpty(), "a held lock must refuse a second daemon");
            assertEquals(Optional.of(other.pid()), DaemonLock.holderPid(file));
        } finally {
            other.destroy();
            other.waitFor();
        }
        try (DaemonLock lock = DaemonLock.tryAcquire(file).orElseThrow()) {
            assertEquals(Optional.of(ProcessHandle.current().pid()), DaemonLock.holderPid(file));
        }
    }

    /** Holds the lock until killed, like a running daemon. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            DaemonLock.tryAcquire(Path.of(args[0])).orElseThrow();
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
