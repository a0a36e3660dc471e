package dev.caod.mcp;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import dev.caod.tmux.PaneRef;
import dev.caod.tmux.Tmux;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** caod's MCP endpoint with the SDK's own client, acting as a demo agent with that agent's real credential. */
@QuarkusTest
class McpEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TerminalService terminals;

    @Inject
    Tmux tmux;

    @TestHTTPResource("/")
    java.net.URL http;

    @Test
    void anAgentCallsCaodsToolsWithItsOwnCredentialOnly() throws Exception {
        var created = terminals.createSession("agent", "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        TerminalView boss = created.supervisor();
        TerminalView worker = terminals.createTerminal(boss.sessionId(), "agent", "", "", boss.id(), Map.of());
        try {
            for (TerminalView t : List.of(boss, worker)) {
                assertTrue(terminals.awaitReady(t.id(), WAIT).reached());
            }
            String token = tokenOf(worker);
            try (McpSyncClient client = client(token)) {
                client.initialize();
                List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).sorted().toList();
                assertEquals(List.of("assign", "close_terminal", "handoff", "list_terminals", "read_output",
                        "send_message"), tools);

                var listed = client.callTool(new McpSchema.CallToolRequest("list_terminals", Map.of()));
                assertFalse(listed.isError());
                String text = ((McpSchema.TextContent) listed.content().getFirst()).text();
                assertTrue(text.contains(boss.id()) && text.contains(worker.id() + "  agent  demo"), text);

                var sent = client.callTool(new McpSchema.CallToolRequest("send_message", Map.of("message", "done!")));
                assertFalse(sent.isError(), sent.toString());
                assertTrue(terminals.awaitStatus(boss.id(), Set.of(AgentStatus.COMPLETED), WAIT).reached());
                await().atMost(WAIT).until(() -> terminals.output(boss.id(), TerminalService.OutputMode.LAST, 0).text()
                        .equals("DEMO-ECHO: [message from terminal " + worker.id() + "] done!"));

                var bad = client.callTool(new McpSchema.CallToolRequest("read_output",
                        Map.of("terminal_id", boss.id(), "mode", "everything")));
                assertTrue(bad.isError());
                assertTrue(((McpSchema.TextContent) bad.content().getFirst()).text().contains("mode"), bad.toString());
                var missing = client.callTool(new McpSchema.CallToolRequest("read_output", Map.of()));
                assertTrue(missing.isError());

                var handedOff = client.callTool(new McpSchema.CallToolRequest("handoff", Map.of("agent_profile",
                        "agent", "provider", "demo", "message", "sum it up", "timeout_seconds", 60)));
                String result = ((McpSchema.TextContent) handedOff.content().getFirst()).text();
                assertFalse(handedOff.isError(), result);
                assertTrue(result.startsWith("outcome: completed\nworker: terminal ")
                        && result.endsWith("answer:\nDEMO-ECHO: sum it up"), result);
                var failed = client.callTool(new McpSchema.CallToolRequest("handoff", Map.of("agent_profile",
                        "agent", "provider", "demo", "message", "crash", "timeout_seconds", 60)));
                String crash = ((McpSchema.TextContent) failed.content().getFirst()).text();
                assertTrue(failed.isError() && crash.startsWith("outcome: worker_error"), crash);
                var assigned = client.callTool(new McpSchema.CallToolRequest("assign", Map.of("agent_profile",
                        "agent", "provider", "demo", "message", "later")));
                assertFalse(assigned.isError(), assigned.toString());
                assertTrue(((McpSchema.TextContent) assigned.content().getFirst()).text()
                        .startsWith("assigned to terminal "), assigned.toString());
                var noProfile = client.callTool(new McpSchema.CallToolRequest("handoff", Map.of("message", "x")));
                assertTrue(noProfile.isError());
                assertTrue(((McpSchema.TextContent) noProfile.content().getFirst()).text()
                        .contains("agent_profile"), noProfile.toString());
                var unknownProfile = client.callTool(new McpSchema.CallToolRequest("assign", Map.of("agent_profile",
                        "nobody", "message", "x")));
                assertTrue(unknownProfile.isError());
                assertTrue(((McpSchema.TextContent) unknownProfile.content().getFirst()).text()
                        .contains("nobody"), unknownProfile.toString());
            }
        } finally {
            terminals.deleteSession(created.session().id());
        }
    }

    @Inject
    dev.caod.event.EventBus events;

    @Test
    void anAgentThatHangsUpMidHandoffCancelsItAndItsWorkerIsClosed() throws Exception {
        var created = terminals.createSession("agent", "demo", CaodTestHome.HOME.toString(), null, Map.of(), null);
        TerminalView boss = created.supervisor();
        java.util.List<dev.caod.api.v1.Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable watching = events.subscribe(seen::add)) {
            assertTrue(terminals.awaitReady(boss.id(), WAIT).reached());
            String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"handoff\",\"arguments\":{\"agent_profile\":\"agent\",\"provider\":\"demo\","
                    + "\"message\":\"slow\",\"timeout_seconds\":120}}}";
            byte[] body = call.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (java.net.Socket socket = new java.net.Socket(http.getHost(), http.getPort())) {
                socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + http.getPort()
                        + "\r\nAuthorization: Bearer " + tokenOf(boss) + "\r\nContent-Type: application/json\r\n"
                        + "Accept: application/json, text/event-stream\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body);
                socket.getOutputStream().flush();
                await().atMost(WAIT).until(() -> seen.stream().anyMatch(e -> e.hasOrchestration() && e
                        .getOrchestration().getAction() == dev.caod.api.v1.OrchestrationAction
                                .ORCHESTRATION_ACTION_TASK_SENT));
            } // the agent's CLI goes away mid-handoff
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(dev.caod.api.v1.Event::hasHandoff));
            var finished = seen.stream().filter(dev.caod.api.v1.Event::hasHandoff).findFirst().orElseThrow()
                    .getHandoff();
            assertEquals(dev.caod.api.v1.HandoffOutcome.HANDOFF_OUTCOME_CANCELLED, finished.getOutcome());
            await().atMost(WAIT).until(() -> terminals.terminal(finished.getWorkerTerminalId()).lifecycle()
                    == dev.caod.terminal.Lifecycle.EXITED);
        } finally {
            terminals.deleteSession(created.session().id());
        }
    }

    @Test
    void callsWithoutAValidCredentialOrFromAForeignOriginAreRefused() {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
        given().baseUri(http.toString()).contentType("application/json").body(init).post("/mcp").then().statusCode(401);
        given().baseUri(http.toString()).contentType("application/json").header("Authorization", "Bearer forged")
                .body(init).post("/mcp").then().statusCode(401);
        given().baseUri(http.toString()).contentType("application/json").header("Origin", "http://evil.example")
                .body(init).post("/mcp").then().statusCode(403);
        given().baseUri(http.toString()).get("/mcp").then().statusCode(405);
    }

    private McpSyncClient client(String token) {
        var transport = HttpClientStreamableHttpTransport.builder(http.toString().replaceAll("/$", "")).endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
    }

    /** The credential caod gave the agent, read from the agent process's own environment. */
    private String tokenOf(TerminalView t) throws Exception {
        String pane = QuarkusTransaction.requiringNew().call(() -> dev.caod.store.TerminalEntity.byRef(t.id()).tmuxPane);
        long pid = tmux.info(new PaneRef(terminals.session(t.sessionId(), false).tmuxSession(), t.tmuxWindow(), pane))
                .pid();
        String environ = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")));
        return Arrays.stream(environ.split("\0")).filter(v -> v.startsWith("CAOD_MCP_TOKEN=")).findFirst()
                .orElseThrow().substring("CAOD_MCP_TOKEN=".length());
    }
}
