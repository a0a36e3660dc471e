package dev.caod.provider;

import static dev.caod.provider.RealCli.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.caod.fakemodel.FakeModelServer;
import dev.caod.fakemodel.Scenario;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.TerminalService;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What only Claude Code has (the conformance suite covers what every provider must do): a profile's tool list
 * becomes a hard restriction the model sees.
 */
@QuarkusTest
class ClaudeCodeE2ETest {

    private static Path bin;

    @Inject
    TerminalService terminals;

    @BeforeAll
    static void install() throws Exception {
        bin = RealCli.binDir();
    }

    private static Scenario scenario() {
        return Scenario.builder().defaultReply("FAKE-DEFAULT").build();
    }

    @Test
    void theProfilesRolePromptAndToolRestrictionsReachTheModel() throws Exception {
        try (FakeModelServer model = new FakeModelServer(scenario()).start()) {
            Path home = RealCli.newHome("claude");
            var created = terminals.createSession("reviewer", "claude_code", home.resolve("work").toString(), null,
                    CliUserHome.prepare(home, bin, model.baseUrl()), null);
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
