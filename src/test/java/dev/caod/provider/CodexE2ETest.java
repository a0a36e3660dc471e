package dev.caod.provider;

import static dev.caod.provider.RealCli.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.caod.event.EventBus;
import dev.caod.fakemodel.FakeModelServer;
import dev.caod.fakemodel.Scenario;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import dev.caod.tmux.Tmux;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Codex CLI (pinned, from npm) under caod, against the scripted fake OpenAI Responses API: whole tool-using turns,
 * including the stretch after a tool call where only the pane title says Codex is still working.
 */
@QuarkusTest
class CodexE2ETest {

    private static Path bin;

    @Inject
    TerminalService terminals;
    @Inject
    EventBus events;
    @Inject
    Tmux tmux;

    @BeforeAll
    static void install() throws Exception {
        bin = RealCli.binDir();
    }

    private static Scenario scenario() {
        return Scenario.builder()
                .when("(?i)use the tool").callTool("echo_marker", Map.of("text", "E2E-CODEX"))
                .delay(java.time.Duration.ofSeconds(2)).thenReply("DONE {tool_result}")
                .defaultReply("FAKE-DEFAULT").build();
    }

    /** The user's own Codex config: the fake provider and the echo MCP server. caod adds only -c overrides. */
    private static Path userHome(FakeModelServer model, Path marker) throws Exception {
        Path home = RealCli.newHome("codex");
        Files.createDirectories(home.resolve(".codex"));
        Files.writeString(home.resolve(".codex/config.toml"), """
                model = "fake-model"
                model_provider = "fake"

                [model_providers.fake]
                name = "Fake"
                base_url = "%s/v1"
                env_key = "FAKE_API_KEY"
                wire_api = "responses"

                [mcp_servers.echo]
                command = "python3"
                args = ["%s", "%s"]
                env = { ECHO_MCP_LOG = "%s" }

                [tui]
                screen_reader_detection_done = true
                """.formatted(model.baseUrl(), RealCli.MCP_SERVER, marker, marker + ".log"));
        return home;
    }

    private static Map<String, String> env(Path home, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("CODEX_HOME", home.resolve(".codex").toString());
        env.put("FAKE_API_KEY", "fake");
        return RealCli.env(home, bin, env);
    }

    @Test
    void aToolUsingTurnCompletesWithTheExactAnswerAndClosingLeavesNothing() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(model, marker);
            var created = terminals.createSession("developer", "codex", home.resolve("work").toString(), null,
                    env(home, Map.of()), null);
            TerminalView t = created.supervisor();
            try {
                assertTrue(terminals.awaitReady(t.id(), WAIT).reached(), () -> RealCli.screen(terminals, t.id()));
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.IDLE);
                RealCli.awaitMcpConnected(Path.of(marker + ".log"));
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.IDLE); // done booting its MCP servers
                try (var statuses = new RealCli.Statuses(events, t.id())) {
                    terminals.sendInput(t.id(), "please use the tool now", false, false);
                    RealCli.awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
                    assertEquals("DONE echo_marker wrote: E2E-CODEX",
                            terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());
                    // (the CLI may still settle from its own start-up before the task: only the turn itself counts)
                    assertTrue(statuses.seen.contains(AgentStatus.PROCESSING), "seen: " + statuses.seen);
                    List<AgentStatus> turn = statuses.seen.subList(statuses.seen.indexOf(AgentStatus.PROCESSING),
                            statuses.seen.size());
                    assertEquals(List.of(AgentStatus.PROCESSING, AgentStatus.COMPLETED), turn,
                            "processing throughout the tool call, completed once: " + statuses.seen);
                }
                assertTrue(Files.readString(marker).contains("E2E-CODEX"), "the MCP tool really ran");

                List<ProcessHandle> tree = RealCli.tree(RealCli.panePid(terminals, tmux, t));
                assertEquals(Lifecycle.EXITED, terminals.close(t.id()).lifecycle());
                await().atMost(WAIT).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
            } finally {
                terminals.deleteSession(created.session().id());
            }
        }
    }

    @Test
    void anApprovalDialogIsWaitingUntilAnsweredAndAKilledCliIsAnError() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(model, marker);
            var created = terminals.createSession("developer", "codex", home.resolve("work").toString(), null,
                    env(home, Map.of("CAOD_APPROVALS", "ask")), null);
            TerminalView t = created.supervisor();
            try {
                assertTrue(terminals.awaitReady(t.id(), WAIT).reached(), () -> RealCli.screen(terminals, t.id()));
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.IDLE);
                RealCli.awaitMcpConnected(Path.of(marker + ".log"));
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.IDLE); // done booting its MCP servers
                terminals.sendInput(t.id(), "use the tool please", false, false);
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.WAITING_USER_ANSWER);
                terminals.sendKeys(t.id(), List.of("Enter"));
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
                assertEquals("DONE echo_marker wrote: E2E-CODEX",
                        terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());

                RealCli.tree(RealCli.panePid(terminals, tmux, t)).getFirst().destroyForcibly();
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.ERROR);
            } finally {
                terminals.deleteSession(created.session().id());
            }
        }
    }
}
