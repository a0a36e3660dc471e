package dev.caod.provider;

import static dev.caod.provider.RealCli.WAIT;
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
        return RealCli.supervisorRules(Scenario.builder())
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

    private RealCli.Journeys journeys() {
        return new RealCli.Journeys(terminals, events, tmux);
    }

    @Test
    void aToolUsingTurnCompletesWithTheExactAnswerAndClosingLeavesNothing() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(marker);
            TerminalView t = journeys().start("developer", "claude_code", home, RealCli.env(home, bin, Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_API_KEY", KEY)), marker);
            try {
                journeys().toolTurnThenCleanClose(t, marker, "DONE echo_marker wrote: E2E-CLAUDE", "E2E-CLAUDE");
            } finally {
                journeys().cleanUp(t);
            }
        }
    }

    @Test
    void aPermissionDialogIsWaitingUntilAnsweredAndAKilledCliIsAnError() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(marker);
            TerminalView t = journeys().start("developer", "claude_code", home, RealCli.env(home, bin, Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_API_KEY", KEY, "CAOD_APPROVALS", "ask")), marker);
            try {
                journeys().dialogAnsweredThenKilled(t, "DONE echo_marker wrote: E2E-CLAUDE");
            } finally {
                journeys().cleanUp(t);
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

    @Test
    void asASupervisorItHandsOffToADemoWorkerAndMessagesAnother() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(marker);
            TerminalView t = journeys().start("agent", "claude_code", home, RealCli.env(home, bin, Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_API_KEY", KEY)), marker);
            try {
                journeys().supervisesDemoWorkers(t, model);
            } finally {
                journeys().cleanUp(t);
            }
        }
    }
}
