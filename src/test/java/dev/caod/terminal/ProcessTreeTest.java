package dev.caod.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Ending process trees: real processes, real signals. */
class ProcessTreeTest {

    @Test
    void aTreeEndsOnSigtermWithoutForce() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "sleep 300 & sleep 300 & wait").start();
        ProcessHandle root = shell.toHandle();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> root.children().count() == 2);
        var children = root.children().toList();
        assertEquals(0, ProcessTree.end(root.pid(), Duration.ofSeconds(10)), "SIGTERM was enough");
        assertFalse(children.stream().anyMatch(ProcessTree::alive));
    }
}
