package dev.caod.provider;


import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.caod.event.EventBus;
import dev.caod.fakemodel.FakeModelServer;
import dev.caod.fakemodel.Scenario;
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
        return RealCli.supervisorRules(Scenario.builder())
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

    private RealCli.Journeys journeys() {
        return new RealCli.Journeys(terminals, events, tmux);
    }

    @Test
    void aToolUsingTurnCompletesWithTheExactAnswerAndClosingLeavesNothing() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(model, marker);
            TerminalView t = journeys().start("developer", "codex", home, env(home, Map.of()), marker);
            try {
                journeys().toolTurnThenCleanClose(t, marker, "DONE echo_marker wrote: E2E-CODEX", "E2E-CODEX");
            } finally {
                journeys().cleanUp(t);
            }
        }
    }

    @Test
    void anApprovalDialogIsWaitingUntilAnsweredAndAKilledCliIsAnError() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(model, marker);
            TerminalView t = journeys().start("developer", "codex", home, env(home, Map.of("CAOD_APPROVALS", "ask")), marker);
            try {
                journeys().dialogAnsweredThenKilled(t, "DONE echo_marker wrote: E2E-CODEX");
            } finally {
                journeys().cleanUp(t);
            }
        }
    }

    @Test
    void asASupervisorItHandsOffToADemoWorkerAndMessagesAnother() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path marker = Files.createTempFile("marker", ".txt");
            Path home = userHome(model, marker);
            TerminalView t = journeys().start("agent", "codex", home, env(home, Map.of()), marker);
            try {
                journeys().supervisesDemoWorkers(t, model);
            } finally {
                journeys().cleanUp(t);
            }
        }
    }
}
