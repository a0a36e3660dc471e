package dev.caod.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import dev.caod.terminal.TerminalException;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A CLI caod has never heard of, added by dropping a manifest into the user's providers folder: the worked example of
 * docs/providers.md, taken from the doc itself, driven in real tmux through a task, a call to caod's MCP endpoint,
 * the exact answer and a clean close.
 */
@QuarkusTest
class ManifestProviderTest {

    private static final Path PROVIDERS = CaodTestHome.paths().configDir().resolve("providers");
    private static final Path SCRIPT = Path.of("docs/examples/tiny_cli/tiny_cli.py").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TerminalService terminals;
    @Inject
    ProviderRegistry registry;

    @AfterEach
    void removeManifests() throws Exception {
        for (String name : List.of("tiny_cli", "broken_cli", "codex")) {
            Files.deleteIfExists(PROVIDERS.resolve(name + ".yaml"));
        }
    }

    /** The first ```yaml block of docs/providers.md, pointed at the script in this checkout. */
    static String documentedManifest() throws Exception {
        String doc = Files.readString(Path.of("docs/providers.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start)).replace("/opt/tiny-cli/tiny_cli.py", SCRIPT.toString());
    }

    @Test
    void theDocumentedManifestAddsAWorkingProviderWithoutARestart() throws Exception {
        Files.createDirectories(PROVIDERS);
        Files.writeString(PROVIDERS.resolve("tiny_cli.yaml"), documentedManifest());
        assertTrue(registry.names().contains("tiny_cli"), registry.names().toString());

        var created = terminals.createSession("agent", "tiny_cli", CaodTestHome.HOME.toString(), null, Map.of(), null);
        String id = created.supervisor().id();
        try {
            assertTrue(terminals.awaitReady(id, WAIT).reached(), () -> screen(id));
            assertEquals(AgentStatus.IDLE, terminals.awaitStatus(id, Set.of(AgentStatus.IDLE), WAIT).terminal().status());

            terminals.sendInput(id, "hello there", false, false);
            awaitCompleted(id);
            // the role prompt travelled through the manifest's files: section, JSON-escaped
            assertEquals("echo: hello there\n(role: You are a scripted test agent.)", last(id));

            terminals.sendInput(id, "tools", false, false);
            awaitCompleted(id);
            List<String> answer = last(id).lines().toList();
            assertEquals("caod offers 6 tools:", answer.getFirst(), () -> screen(id));
            assertEquals(List.of("assign", "close_terminal", "handoff", "list_terminals", "read_output",
                    "send_message"), answer.subList(1, answer.size()), "called caod's MCP with its own token");

            TerminalView closed = terminals.close(id);
            assertEquals(Lifecycle.EXITED, closed.lifecycle());
        } finally {
            terminals.deleteSession(created.session().id());
        }
    }

    @Test
    void aBrokenManifestIsRefusedNamingTheFieldAndTheDaemonCarriesOn() throws Exception {
        Files.createDirectories(PROVIDERS);
        Files.writeString(PROVIDERS.resolve("broken_cli.yaml"), documentedManifest()
                .replace("provider: tiny_cli", "provider: broken_cli").replace("{terminal_dir}", "{terminal_folder}"));
        TerminalException e = assertThrows(TerminalException.class, () -> terminals.createSession("agent",
                "broken_cli", CaodTestHome.HOME.toString(), null, Map.of(), null));
        assertTrue(e.getMessage().contains("broken_cli.yaml") && e.getMessage().contains("launch.command")
                && e.getMessage().contains("{terminal_folder}"), e.getMessage());

        // a built-in cannot be relaunched by a manifest: its launch is caod's own
        Files.writeString(PROVIDERS.resolve("codex.yaml"), documentedManifest().replace("provider: tiny_cli",
                "provider: codex"));
        IllegalArgumentException builtIn = assertThrows(IllegalArgumentException.class, () -> registry.rules("codex"));
        assertTrue(builtIn.getMessage().contains("remove its `launch:` section"), builtIn.getMessage());
        Files.delete(PROVIDERS.resolve("codex.yaml"));

        var created = terminals.createSession("agent", "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        try {
            assertTrue(terminals.awaitReady(created.supervisor().id(), WAIT).reached(), "other providers still start");
        } finally {
            terminals.deleteSession(created.session().id());
        }
    }

    private void awaitCompleted(String id) {
        assertEquals(AgentStatus.COMPLETED, terminals.awaitStatus(id, Set.of(AgentStatus.COMPLETED, AgentStatus.ERROR),
                WAIT).terminal().status(), () -> screen(id));
    }

    private String last(String id) {
        return terminals.output(id, TerminalService.OutputMode.LAST, 0).text();
    }

    private String screen(String id) {
        return terminals.output(id, TerminalService.OutputMode.SCREEN, 0).text();
    }
}
