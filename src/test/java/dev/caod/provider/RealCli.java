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
 * .ci/install-agent-clis.sh on first use), a throw-away HOME standing for the user's, the echo MCP server as the
 * user's own MCP server, and the steps of a whole tool-using turn.
 */
final class RealCli {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final Path MCP_SERVER = Path.of("src/test/resources/mcp/echo_mcp_server.py").toAbsolutePath();

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

    /**
     * Waits until the CLI has listed the echo MCP server's tools: CLIs connect MCP servers in the background, and a
     * task sent before that (by a person or by caod) reaches the model without the tool.
     */
    static void awaitMcpConnected(Path mcpLog) {
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                Files.exists(mcpLog) && Files.readString(mcpLog).contains("tools/list"));
    }

    /** The model's side of {@link Journeys#supervisesDemoWorkers}: hand off, then message a named worker. */
    static dev.caod.fakemodel.Scenario.Builder supervisorRules(dev.caod.fakemodel.Scenario.Builder b) {
        return b.when("(?i)delegate: (.+)").callTool("handoff", Map.of("agent_profile", "agent", "provider", "demo",
                "message", "{1}", "timeout_seconds", 120)).thenReply("SUPERVISOR-GOT {tool_result}")
                .when("(?i)notify (\\w+)").callTool("send_message", Map.of("receiver_id", "{1}",
                        "message", "NOTE-FROM-SUPERVISOR")).thenReply("SENT {tool_result}");
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

    /**
     * The two journeys every real CLI must survive under caod, shared by the per-CLI tests: a whole tool-using turn
     * ending in a clean close, and a permission dialog answered before the CLI is killed.
     */
    record Journeys(TerminalService terminals, EventBus events, Tmux tmux) {

        /** Starts the CLI in a new session and waits until it is idle with its MCP servers booted. */
        TerminalView start(String profile, String provider, Path home, Map<String, String> env, Path marker) {
            var created = terminals.createSession(profile, provider, home.resolve("work").toString(), null, env, null);
            TerminalView t = created.supervisor();
            assertTrue(terminals.awaitReady(t.id(), WAIT).reached(), () -> screen(terminals, t.id()));
            awaitStatus(terminals, t.id(), AgentStatus.IDLE);
            awaitMcpConnected(Path.of(marker + ".log"));
            awaitStatus(terminals, t.id(), AgentStatus.IDLE); // done booting its MCP servers
            return t;
        }

        void toolTurnThenCleanClose(TerminalView t, Path marker, String expectedAnswer, String toolText)
                throws Exception {
            try (var statuses = new Statuses(events, t.id())) {
                terminals.sendInput(t.id(), "please use the tool now", false, false);
                awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
                assertEquals(expectedAnswer, terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());
                // (the CLI may still settle from its own start-up before the task: only the turn itself counts)
                assertTrue(statuses.seen.contains(AgentStatus.PROCESSING), "seen: " + statuses.seen);
                List<AgentStatus> turn = statuses.seen.subList(statuses.seen.indexOf(AgentStatus.PROCESSING),
                        statuses.seen.size());
                assertEquals(List.of(AgentStatus.PROCESSING, AgentStatus.COMPLETED), turn,
                        "processing throughout the tool call, completed once: " + statuses.seen);
            }
            assertTrue(Files.readString(marker).contains(toolText), "the MCP tool really ran");
            List<ProcessHandle> tree = tree(panePid(terminals, tmux, t));
            assertEquals(dev.caod.terminal.Lifecycle.EXITED, terminals.close(t.id()).lifecycle());
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        }

        void dialogAnsweredThenKilled(TerminalView t, String expectedAnswer) {
            terminals.sendInput(t.id(), "use the tool please", false, false);
            awaitStatus(terminals, t.id(), AgentStatus.WAITING_USER_ANSWER);
            terminals.sendKeys(t.id(), List.of("Enter"));
            awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
            assertEquals(expectedAnswer, terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());
            tree(panePid(terminals, tmux, t)).getFirst().destroyForcibly();
            awaitStatus(terminals, t.id(), AgentStatus.ERROR);
        }

        /**
         * The CLI as a supervisor of demo workers, through caod's MCP tools: it hands off (the worker's whole answer
         * must come back in the tool result the model sees) and sends a message to a worker it did not start.
         */
        void supervisesDemoWorkers(TerminalView sup, dev.caod.fakemodel.FakeModelServer model) {
            // ready means its CLI listed caod's tools (ready_needs_mcp): the task is typed in with no extra wait
            terminals.sendInput(sup.id(), "delegate: build the parser", false, false);
            awaitStatus(terminals, sup.id(), AgentStatus.COMPLETED);
            assertTrue(terminals.output(sup.id(), TerminalService.OutputMode.LAST, 0).text()
                    .startsWith("SUPERVISOR-GOT outcome: completed"), () -> screen(terminals, sup.id()));
            assertTrue(model.requests().stream().flatMap(r -> r.toolResults().stream()).anyMatch(r -> r.contains(
                    "outcome: completed") && r.contains("DEMO-ECHO: build the parser")),
                    "the worker's answer came back in the tool result the model saw");
            List<TerminalView> team = terminals.terminals(sup.sessionId(), Set.of(), true);
            TerminalView handedOff = team.stream().filter(t -> !t.id().equals(sup.id())).findFirst().orElseThrow();
            assertEquals(sup.id(), handedOff.callerId());
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> terminals.terminal(handedOff.id()).lifecycle()
                    == dev.caod.terminal.Lifecycle.EXITED); // closed after the handoff

            TerminalView worker = terminals.createTerminal(sup.sessionId(), "agent", "demo", "", sup.id(), Map.of());
            awaitStatus(terminals, worker.id(), AgentStatus.IDLE);
            terminals.sendInput(sup.id(), "notify " + worker.id(), false, false);
            awaitStatus(terminals, sup.id(), AgentStatus.COMPLETED);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> terminals.output(worker.id(),
                    TerminalService.OutputMode.FULL, 0).text().contains("DEMO-ECHO: [message from terminal "
                            + sup.id() + "] NOTE-FROM-SUPERVISOR"));
        }

        void cleanUp(TerminalView t) {
            terminals.deleteSession(t.sessionId());
        }
    }
}
