package dev.caod.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The demo agent's MCP client against a stub streamable-HTTP server. */
class McpHttpClientTest {

    private StubMcpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new StubMcpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static ObjectNode args(String text) {
        return JsonNodeFactory.instance.objectNode().put("text", text);
    }

    @Test
    void jsonAndSseAnswersOneSession() {
        McpHttpClient client = new McpHttpClient(server.url(), StubMcpServer.TOKEN);
        assertEquals(new McpHttpClient.Result(false, "MARKER:ünï ✓"), client.callTool("echo_marker", args("ünï ✓")));
        assertEquals(new McpHttpClient.Result(false, "MARKER:two"), client.callTool("sse_marker", args("two")));
        assertEquals(List.of("initialize", "notifications/initialized", "tools/call", "tools/call"), server.methods);
        assertEquals("{\"name\":\"echo_marker\",\"arguments\":{\"text\":\"ünï ✓\"}}",
                server.calls.get(0).toString());
        assertEquals(List.of(), server.problems);
    }

    @Test
    void toolErrorsAndJsonRpcErrors() {
        McpHttpClient client = new McpHttpClient(server.url(), StubMcpServer.TOKEN);
        assertEquals(new McpHttpClient.Result(true, "tool broke"), client.callTool("fail", args("x")));
        assertEquals(new McpHttpClient.Result(true, "Unknown tool: nope"), client.callTool("nope", args("x")));
    }

    @Test
    void wrongTokenIsAnError() {
        McpHttpClient.Result r = new McpHttpClient(server.url(), "wrong").callTool("echo_marker", args("x"));
        assertTrue(r.error());
        assertEquals("MCP initialize refused: HTTP 401 (check the token)", r.text());
    }

    @Test
    void unreachableServerIsAnError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        McpHttpClient.Result r = new McpHttpClient(URI.create("http://127.0.0.1:" + port + "/mcp"), null)
                .callTool("echo_marker", args("x"));
        assertTrue(r.error());
        assertTrue(r.text().startsWith("MCP server unreachable at http://127.0.0.1:" + port), r.text());
        assertFalse(r.text().isBlank());
    }
}
