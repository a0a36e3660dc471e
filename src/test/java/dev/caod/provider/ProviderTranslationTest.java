package dev.caod.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.caod.profile.McpServerSpec;

/** How a profile reaches each CLI: the exact launch lines and config files. */
class ProviderTranslationTest {

    @TempDir
    Path dir;

    private LaunchRequest request(Path home, boolean autoApprove, List<String> tools) {
        return request(home, autoApprove, tools, Map.of());
    }

    private LaunchRequest request(Path home, boolean autoApprove, List<String> tools, Map<String, Object> settings) {
        return new LaunchRequest("t1", "reviewer", dir.resolve("work"), dir.resolve("term"),
                Optional.of("You review.\nBe exact."), Optional.of("model-x"), Optional.of("http://127.0.0.1:7870/mcp"),
                "tok123", autoApprove, Map.of("HOME", home.toString(), "ANTHROPIC_API_KEY", "sk-ant-0123456789abcdefghijKLMN"),
                List.of(new McpServerSpec("docs", "python3", List.of("srv.py"), Map.of("K", "v"), null, Map.of()),
                        new McpServerSpec("web", null, List.of(), Map.of(), "http://127.0.0.1:9/mcp",
                                Map.of("Authorization", "Bearer w"))),
                tools, settings);
    }

    @Test
    void aClaudeProfileMayRunOneOfTheUsersNativeSubAgents() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        List<String> argv = new ClaudeCodeProvider().launch(request(home, true, List.of(),
                Map.of("native_agent", "security-auditor"))).argv();
        assertEquals("security-auditor", argv.get(argv.indexOf("--agent") + 1));
        assertEquals("You review.\nBe exact.", argv.get(argv.indexOf("--append-system-prompt") + 1), "still appended");
        assertFalse(new ClaudeCodeProvider().launch(request(home, true, List.of())).argv().contains("--agent"));
    }

    @Test
    void claudeGetsPromptModelMcpConfigAndADenyListWithoutTouchingTheUsersFiles() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".claude"));
        Files.writeString(home.resolve(".claude.json"), "{\"theme\":\"light\",\"numStartups\":3}");
        String before = Files.readString(home.resolve(".claude.json"));
        LaunchPlan plan = new ClaudeCodeProvider().launch(request(home, true, List.of("Read", "Grep", "send_message")));

        List<String> argv = plan.argv();
        assertEquals("claude", argv.getFirst());
        assertEquals("You review.\nBe exact.", argv.get(argv.indexOf("--append-system-prompt") + 1));
        assertEquals("model-x", argv.get(argv.indexOf("--model") + 1));
        assertTrue(argv.contains("--dangerously-skip-permissions"));
        String denied = argv.get(argv.indexOf("--disallowedTools") + 1);
        assertTrue(denied.contains("Edit") && denied.contains("Write") && denied.contains("Bash"), denied);
        assertFalse(denied.contains("Read"), denied);
        assertEquals("Read,Grep,mcp__caod__send_message", argv.get(argv.indexOf("--allowedTools") + 1));

        JsonNode mcp = new ObjectMapper().readTree(Path.of(argv.get(argv.indexOf("--mcp-config") + 1)).toFile())
                .get("mcpServers");
        assertEquals("http://127.0.0.1:7870/mcp", mcp.get("caod").get("url").asText());
        assertEquals("Bearer tok123", mcp.get("caod").get("headers").get("Authorization").asText());
        assertEquals("python3", mcp.get("docs").get("command").asText());
        assertEquals("http://127.0.0.1:9/mcp", mcp.get("web").get("url").asText());

        Path config = Path.of(plan.env().get("CLAUDE_CONFIG_DIR"));
        JsonNode global = new ObjectMapper().readTree(config.resolve(".claude.json").toFile());
        assertEquals("light", global.get("theme").asText(), "the user's settings carried over");
        assertTrue(global.get("hasCompletedOnboarding").asBoolean());
        assertTrue(global.get("projects").get(dir.resolve("work").toString()).get("hasTrustDialogAccepted").asBoolean());
        assertEquals("ghijKLMN", global.get("customApiKeyResponses").get("approved").get(0).asText().substring(12));
        assertEquals(before, Files.readString(home.resolve(".claude.json")), "the user's own file is untouched");
    }

    @Test
    void claudeWithoutAutoApproveShowsItsDialogs() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home2"));
        List<String> argv = new ClaudeCodeProvider().launch(request(home, false, List.of())).argv();
        assertFalse(argv.contains("--dangerously-skip-permissions"));
        assertFalse(argv.contains("--disallowedTools"));
    }

    @Test
    void codexGetsEverythingAsPerProcessOverrides() {
        Path home = dir.resolve("home3");
        List<String> argv = new CodexProvider().launch(request(home, true, List.of("Read", "send_message"))).argv();
        assertEquals(List.of("codex", "--no-alt-screen"), argv.subList(0, 2));
        List<String> overrides = java.util.stream.IntStream.range(0, argv.size() - 1)
                .filter(i -> argv.get(i).equals("-c")).mapToObj(i -> argv.get(i + 1)).toList();
        assertTrue(overrides.contains("mcp_servers.caod.url=\"http://127.0.0.1:7870/mcp\""), overrides.toString());
        assertTrue(overrides.contains("mcp_servers.caod.bearer_token_env_var=\"CAOD_MCP_TOKEN\""));
        assertTrue(overrides.contains("mcp_servers.docs.command=\"python3\""));
        assertTrue(overrides.contains("mcp_servers.docs.args=[\"srv.py\"]"));
        assertTrue(overrides.contains("mcp_servers.docs.env={\"K\"=\"v\"}"));
        assertTrue(overrides.contains("mcp_servers.web.url=\"http://127.0.0.1:9/mcp\""));
        assertTrue(overrides.contains("developer_instructions=\"You review.\\nBe exact.\\n\\nUse only these tools: Read,"
                + " send_message.\""), overrides.toString());
        assertTrue(overrides.stream().anyMatch(o -> o.startsWith("projects={\"" + dir.resolve("work") + "\"=")));
        assertEquals("model-x", argv.get(argv.indexOf("--model") + 1));
        assertTrue(argv.contains("--dangerously-bypass-approvals-and-sandbox"));
    }

    @Test
    void demoRunsCaodItselfWithTheProfilesScript() throws Exception {
        LaunchPlan plan = new DemoProvider(dir.resolve("demo-scripts")).launch(request(dir.resolve("h"), true, List.of()));
        assertTrue(plan.argv().contains("demo-agent"));
        assertEquals("reviewer", plan.argv().get(plan.argv().indexOf("--name") + 1));
        assertEquals("tok123", plan.env().get("CAOD_MCP_TOKEN"));
    }
}
