package dev.caod.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.caod.profile.McpServerSpec;

/** Amazon Q and Kiro CLI get a profile as their native agent file: the exact launch lines and what the file holds. */
class NativeAgentProvidersTest {

    private static final String MCP_URL = "http://127.0.0.1:7870/mcp";

    @TempDir
    Path dir;

    private LaunchRequest request(Path home, String prompt, boolean autoApprove, List<String> tools) {
        return new LaunchRequest("t1", "reviewer", dir.resolve("work"), dir.resolve("term"), Optional.of(prompt),
                Optional.of("model-x"), Optional.of(MCP_URL), "tok123", autoApprove, Map.of("HOME", home.toString()),
                List.of(new McpServerSpec("docs", "python3", List.of("srv.py"), Map.of("K", "v"), null, Map.of()),
                        new McpServerSpec("web", null, List.of(), Map.of(), "http://127.0.0.1:9/mcp",
                                Map.of("Authorization", "Bearer w"))),
                tools, Map.of());
    }

    @Test
    void qChatsWithTheProfilesAgentAndGetsCaodsAddressInItsEnvironment() throws Exception {
        Path home = dir.resolve("home");
        LaunchPlan plan = new QCliProvider().launch(request(home, "You review.", true, List.of()));

        assertEquals(List.of("q", "chat", "--agent", "caod-reviewer", "--model", "model-x", "--trust-all-tools"),
                plan.argv());
        assertEquals(Map.of("CAOD_MCP_URL", MCP_URL, "CAOD_MCP_TOKEN", "tok123"), plan.env());
        assertTrue(Files.isRegularFile(home.resolve(".aws/amazonq/cli-agents/caod-reviewer.json")));
    }

    @Test
    void kiroChatsInItsLineUiWithTheProfilesAgent() throws Exception {
        Path home = dir.resolve("home");
        LaunchPlan plan = new KiroCliProvider().launch(request(home, "You review.", true, List.of()));

        assertEquals(List.of("kiro-cli", "chat", "--legacy-ui", "--agent", "caod-reviewer", "--model", "model-x",
                "--trust-all-tools"), plan.argv());
        assertEquals(Map.of("CAOD_MCP_URL", MCP_URL, "CAOD_MCP_TOKEN", "tok123"), plan.env());
        assertTrue(Files.isRegularFile(home.resolve(".kiro/agents/caod-reviewer.json")));
    }

    @Test
    void withoutAutoApproveTheCliAsksBeforeEachTool() throws Exception {
        Path home = dir.resolve("home");
        assertFalse(new QCliProvider().launch(request(home, "p", false, List.of())).argv().contains("--trust-all-tools"));
        assertFalse(new KiroCliProvider().launch(request(home, "p", false, List.of())).argv()
                .contains("--trust-all-tools"));
    }

    @Test
    void theAgentFileHoldsThePromptModelAndMcpServersButNoToken() throws Exception {
        for (Provider provider : List.of(new QCliProvider(), new KiroCliProvider())) {
            Path home = dir.resolve("home-" + provider.name());
            provider.launch(request(home, "You review.\nBe exact.", true, List.of()));
            Path file = agentFile(provider, home);
            JsonNode agent = new ObjectMapper().readTree(file.toFile());

            assertEquals("caod-reviewer", agent.get("name").asText());
            assertTrue(agent.get("description").asText().startsWith("caod profile reviewer"));
            assertEquals("You review.\nBe exact.", agent.get("prompt").asText());
            assertEquals("model-x", agent.get("model").asText());
            assertFalse(agent.get("useLegacyMcpJson").asBoolean());
            assertEquals("[\"*\"]", agent.get("tools").toString(), "no profile list: every tool");
            assertFalse(agent.has("allowedTools"), "no profile list: the CLI's own approval defaults");

            JsonNode caod = agent.get("mcpServers").get("caod");
            List<String> args = new ArrayList<>();
            caod.get("args").forEach(a -> args.add(a.asText()));
            assertEquals(DemoProvider.selfCommand(dir.resolve("term")).getFirst(), caod.get("command").asText());
            assertEquals("mcp", args.getLast(), "runs `caod mcp`, the stdio bridge");
            assertTrue(args.getFirst().startsWith("@"), args.toString());
            assertEquals(Provider.LONGEST_TOOL_CALL.toMillis(), caod.get("timeout").asLong());
            JsonNode docs = agent.get("mcpServers").get("docs");
            assertEquals("python3", docs.get("command").asText());
            assertEquals("[\"srv.py\"]", docs.get("args").toString());
            assertEquals("v", docs.get("env").get("K").asText());
            JsonNode web = agent.get("mcpServers").get("web");
            assertEquals("http://127.0.0.1:9/mcp", web.get("url").asText());
            assertEquals("Bearer w", web.get("headers").get("Authorization").asText());

            assertFalse(Files.readString(file).contains("tok123"), "the token stays in the environment");
        }
    }

    @Test
    void aProfileToolListCutsTheBuiltInsAndIsApprovedWhileMcpServersStayAvailable() throws Exception {
        Path home = dir.resolve("home");
        new KiroCliProvider().launch(request(home, "p", true,
                List.of("Read", "Grep", "Glob", "Bash", "send_message", "handoff", "@docs/search")));
        JsonNode agent = new ObjectMapper().readTree(home.resolve(".kiro/agents/caod-reviewer.json").toFile());

        assertEquals(List.of("fs_read", "execute_bash", "@caod/send_message", "@caod/handoff", "@docs/search"),
                strings(agent.get("allowedTools")));
        assertEquals(List.of("fs_read", "execute_bash", "@caod/send_message", "@caod/handoff", "@docs/search",
                "@caod", "@docs", "@web"), strings(agent.get("tools")));
    }

    @Test
    void theUsersOwnAgentsAreLeftAloneAndASecondLaunchReplacesCaodsFile() throws Exception {
        Path home = dir.resolve("home");
        Path agents = Files.createDirectories(home.resolve(".aws/amazonq/cli-agents"));
        Files.writeString(agents.resolve("mine.json"), "{\"name\":\"mine\",\"prompt\":\"my own\"}");
        Files.writeString(agents.resolve("notes.txt"), "keep");

        new QCliProvider().launch(request(home, "first prompt", true, List.of()));
        new QCliProvider().launch(request(home, "second prompt", true, List.of()));

        JsonNode agent = new ObjectMapper().readTree(agents.resolve("caod-reviewer.json").toFile());
        assertEquals("second prompt", agent.get("prompt").asText());
        assertEquals("{\"name\":\"mine\",\"prompt\":\"my own\"}", Files.readString(agents.resolve("mine.json")));
        assertEquals("keep", Files.readString(agents.resolve("notes.txt")));
        try (Stream<Path> files = Files.list(agents)) {
            assertEquals(List.of("caod-reviewer.json", "mine.json", "notes.txt"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file left behind");
        }
    }

    @Test
    void anAgentOfTheSameNameThatCaodDidNotWriteIsNeverReplaced() throws Exception {
        Path home = dir.resolve("home");
        Path agents = Files.createDirectories(home.resolve(".kiro/agents"));
        String own = "{\"name\":\"caod-reviewer\",\"description\":\"my reviewer\"}";
        Files.writeString(agents.resolve("caod-reviewer.json"), own);

        IOException e = assertThrows(IOException.class,
                () -> new KiroCliProvider().launch(request(home, "p", true, List.of())));
        assertTrue(e.getMessage().contains(agents.resolve("caod-reviewer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("rename or remove"), e.getMessage());
        assertEquals(own, Files.readString(agents.resolve("caod-reviewer.json")));
    }

    private static Path agentFile(Provider provider, Path home) {
        return provider instanceof QCliProvider ? home.resolve(".aws/amazonq/cli-agents/caod-reviewer.json")
                : home.resolve(".kiro/agents/caod-reviewer.json");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
