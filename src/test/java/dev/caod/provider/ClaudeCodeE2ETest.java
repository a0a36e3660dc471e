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

/** Claude Code (pinned, from npm) under caod, against the scripted fake Anthropic API: whole tool-using turns. */
@QuarkusTest
class ClaudeCodeE2ETest {

    private static final String KEY = "sk-ant-fake-000000000000000000000000";
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
                .when("(?i)use the tool").callTool("echo_marker", Map.of("text", "E2E-CLAUDE"))
                .delay(java.time.Duration.ofSeconds(2)).thenReply("DONE {tool_result}")
                .defaultReply("FAKE-DEFAULT").build();
    }

    /** The user's own Claude settings: onboarding done, the echo MCP server configured at user scope. */
    private static Path userHome(Path marker) throws Exception {
        Path home = RealCli.newHome("claude");
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude.json"), """
                {"hasCompletedOnboarding": true, "theme": "dark",
                 "mcpServers": {"echo": {"type": "stdio", "command": "python3", "args": ["%s", "%s"],
                                         "env": {"ECHO_MCP_LOG": "%s"}}}}
                """.formatted(RealCli.MCP_SERVER, marker, marker + ".log"));
        return home;
    }

    @Test
    void aToolUsingTurnCompletesWithTheExactAnswerAndClosingLeavesNothing() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(marker);
            var created = terminals.createSession("developer", "claude_code", home.resolve("work").toString(), null,
                    RealCli.env(home, bin, Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_API_KEY", KEY)),
                    null);
            TerminalView t = created.supervisor();
            try {
                assertTrue(terminals.awaitReady(t.id(), WAIT).reached(), () -> RealCli.screen(terminals, t.id()));
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.IDLE);
                RealCli.awaitMcpConnected(Path.of(marker + ".log"));
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.IDLE); // done booting its MCP servers
                try (var statuses = new RealCli.Statuses(events, t.id())) {
                    terminals.sendInput(t.id(), "please use the tool now", false, false);
                    RealCli.awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
                    assertEquals("DONE echo_marker wrote: E2E-CLAUDE",
                            terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());
                    // (the CLI may still settle from its own start-up before the task: only the turn itself counts)
                    assertTrue(statuses.seen.contains(AgentStatus.PROCESSING), "seen: " + statuses.seen);
                    List<AgentStatus> turn = statuses.seen.subList(statuses.seen.indexOf(AgentStatus.PROCESSING),
                            statuses.seen.size());
                    assertEquals(List.of(AgentStatus.PROCESSING, AgentStatus.COMPLETED), turn,
                            "processing throughout the tool call, completed once: " + statuses.seen);
                }
                assertTrue(Files.readString(marker).contains("E2E-CLAUDE"), "the MCP tool really ran");

                List<ProcessHandle> tree = RealCli.tree(RealCli.panePid(terminals, tmux, t));
                assertTrue(tree.size() > 1, "claude and its MCP server");
                assertEquals(Lifecycle.EXITED, terminals.close(t.id()).lifecycle());
                await().atMost(WAIT).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
            } finally {
                terminals.deleteSession(created.session().id());
            }
        }
    }

    @Test
    void aPermissionDialogIsWaitingUntilAnsweredAndAKilledCliIsAnError() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(marker);
            var created = terminals.createSession("developer", "claude_code", home.resolve("work").toString(), null,
                    RealCli.env(home, bin, Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_API_KEY", KEY,
                            "CAOD_APPROVALS", "ask")), null);
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
                assertEquals("DONE echo_marker wrote: E2E-CLAUDE",
                        terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text());

                RealCli.tree(RealCli.panePid(terminals, tmux, t)).getFirst().destroyForcibly();
                RealCli.awaitStatus(terminals, t.id(), AgentStatus.ERROR);
            } finally {
                terminals.deleteSession(created.session().id());
            }
        }
    }

    @Test
    void theProfilesRolePromptAndToolRestrictionsReachTheModel() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path home = userHome(Files.createTempFile("marker", ".txt"));
            var created = terminals.createSession("reviewer", "claude_code", home.resolve("work").toString(), null,
                    RealCli.env(home, bin, Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_API_KEY", KEY)),
                    null);
            String id = created.supervisor().id();
            try {
                assertTrue(terminals.awaitReady(id, WAIT).reached(), () -> RealCli.screen(terminals, id));
                RealCli.awaitStatus(terminals, id, AgentStatus.IDLE);
                terminals.sendInput(id, "say something", false, false);
                RealCli.awaitStatus(terminals, id, AgentStatus.COMPLETED);
                assertEquals("FAKE-DEFAULT", terminals.output(id, TerminalService.OutputMode.LAST, 0).text());
                var turn = model.requests().stream().filter(r -> r.isPost("/v1/messages") && r.json() != null
                        && !r.isStructured() && r.body().contains("say something")).findFirst().orElseThrow();
                assertTrue(turn.body().contains("You are a senior code reviewer in an agent team"),
                        () -> "the reviewer's role prompt reaches the model; system was: " + turn.json().get("system"));
                List<String> tools = new java.util.ArrayList<>();
                turn.json().get("tools").forEach(t -> tools.add(t.get("name").asText()));
                assertTrue(tools.contains("Read") && tools.contains("Grep"), tools.toString());
                assertTrue(!tools.contains("Edit") && !tools.contains("Write"), "a read-only profile: " + tools);
            } finally {
                terminals.deleteSession(created.session().id());
            }
        }
    }
}
