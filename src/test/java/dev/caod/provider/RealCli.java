package dev.caod.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.caod.CaodTestHome;
import dev.caod.api.v1.Event;
import dev.caod.event.EventBus;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Protos;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import dev.caod.tmux.PaneRef;
import dev.caod.tmux.Tmux;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What the end-to-end tests with real agent CLIs share: the pinned CLIs (installed from npm by
 * .ci/install-agent-clis.sh on first use), a throw-away HOME standing for the user's, status recording and the
 * process tree of a pane.
 */
final class RealCli {

    static final Duration WAIT = Duration.ofSeconds(90);

    private RealCli() {
    }

    /** The bin folder of the pinned CLIs, installing them when missing. */
    static Path binDir() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", ".ci/install-agent-clis.sh").redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), ".ci/install-agent-clis.sh failed (it needs npm and the npm registry)");
        return Path.of(out.getLast().strip());
    }

    static Path newHome(String name) throws IOException {
        Path home = CaodTestHome.HOME.resolve("e2e").resolve(name + "-" + System.nanoTime());
        Files.createDirectories(home.resolve("work"));
        return home;
    }

    static Map<String, String> env(Path home, Path bin, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("HOME", home.toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        return env;
    }

    /** Subscribes to a terminal's status events, in order. */
    static final class Statuses implements AutoCloseable {
        final List<AgentStatus> seen = new CopyOnWriteArrayList<>();
        private final AutoCloseable sub;

        Statuses(EventBus events, String terminal) {
            sub = events.subscribe((Event e) -> {
                if (e.getTerminalId().equals(terminal) && e.hasStatusChanged()) {
                    seen.add(Protos.status(e.getStatusChanged().getCurrent()));
                }
            });
        }

        @Override
        public void close() throws Exception {
            sub.close();
        }
    }

    static String screen(TerminalService terminals, String id) {
        try {
            return terminals.output(id, TerminalService.OutputMode.SCREEN, 0).text();
        } catch (RuntimeException e) {
            return "(no screen: " + e.getMessage() + ")";
        }
    }

    static void awaitStatus(TerminalService terminals, String id, AgentStatus status) {
        assertTrue(terminals.awaitStatus(id, Set.of(status), WAIT).reached(),
                () -> "never " + status + "; now " + terminals.terminal(id).status() + " by "
                        + terminals.terminal(id).statusRule() + "\n" + screen(terminals, id));
    }

    static long panePid(TerminalService terminals, Tmux tmux, TerminalView t) {
        String pane = QuarkusTransaction.requiringNew().call(() -> dev.caod.store.TerminalEntity.byRef(t.id()).tmuxPane);
        return tmux.info(new PaneRef(terminals.session(t.sessionId(), false).tmuxSession(), t.tmuxWindow(), pane)).pid();
    }

    static List<ProcessHandle> tree(long pid) {
        return ProcessHandle.of(pid).map(p -> Stream.concat(Stream.of(p), p.descendants()).toList()).orElse(List.of());
    }
}
