package dev.caod.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny MCP streamable-HTTP server for tests: checks the bearer token and the session id, answers
 * {@code initialize}, {@code notifications/initialized} and {@code tools/call}. Tools: {@code echo_marker} answers
 * {@code MARKER:<text>} as plain JSON, {@code sse_marker} the same as an SSE stream (after a progress
 * notification), {@code fail} an {@code isError} result.
 */
final class StubMcpServer implements AutoCloseable {

    static final String TOKEN = "s3cret-token";
    static final String SESSION = "session-123";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every JSON-RPC method received, in order, and every tools/call's params. */
    final List<String> methods = new CopyOnWriteArrayList<>();
    final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StubMcpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mcp", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "application/json", "{\"error\":\"unauthorized\"}");
                return;
            }
            String accept = String.valueOf(ex.getRequestHeaders().getFirst("Accept"));
            if (!accept.contains("application/json") || !accept.contains("text/event-stream")) {
                problems.add("bad Accept: " + accept);
            }
            JsonNode request = JSON.readTree(ex.getRequestBody());
            String method = request.path("method").asText();
            methods.add(method);
            if (!method.equals("initialize")) {
                String session = ex.getRequestHeaders().getFirst("Mcp-Session-Id");
                if (!SESSION.equals(session)) {
                    problems.add(method + " without the session id: " + session);
                }
                if (!McpHttpClient.PROTOCOL_VERSION.equals(ex.getRequestHeaders().getFirst("Mcp-Protocol-Version"))) {
                    problems.add(method + " without Mcp-Protocol-Version");
                }
            }
            switch (method) {
                case "initialize" -> {
                    JsonNode params = request.path("params");
                    if (!McpHttpClient.PROTOCOL_VERSION.equals(params.path("protocolVersion").asText())
                            || !McpHttpClient.CLIENT_NAME.equals(params.path("clientInfo").path("name").asText())) {
                        problems.add("bad initialize params: " + params);
                    }
                    ex.getResponseHeaders().add("Mcp-Session-Id", SESSION);
                    send(ex, 200, "application/json", response(request, JSON.readTree("""
                            {"protocolVersion":"2025-06-18","capabilities":{"tools":{}},
                             "serverInfo":{"name":"stub","version":"1"}}""")));
                }
                case "notifications/initialized" -> {
                    ex.sendResponseHeaders(202, -1);
                }
                case "tools/call" -> {
                    JsonNode params = request.path("params");
                    calls.add(params);
                    String tool = params.path("name").asText();
                    String text = "MARKER:" + params.path("arguments").path("text").asText();
                    ObjectNode result = JSON.createObjectNode();
                    result.putArray("content").addObject().put("type", "text").put("text", text);
                    switch (tool) {
                        case "echo_marker" -> send(ex, 200, "application/json", response(request, result));
                        case "sse_marker" -> send(ex, 200, "text/event-stream",
                                "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                                        + "\"params\":{\"progress\":1}}\n\n"
                                        + "event: message\ndata: " + response(request, result) + "\n\n");
                        case "fail" -> {
                            ObjectNode failed = JSON.createObjectNode();
                            failed.put("isError", true);
                            failed.putArray("content").addObject().put("type", "text").put("text", "tool broke");
                            send(ex, 200, "application/json", response(request, failed));
                        }
                        default -> send(ex, 200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":"
                                + request.get("id") + ",\"error\":{\"code\":-32602,\"message\":\"Unknown tool: "
                                + tool + "\"}}");
                    }
                }
                default -> send(ex, 200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                        + ",\"error\":{\"code\":-32601,\"message\":\"no such method\"}}");
            }
        }
    }

    private static String response(JsonNode request, JsonNode result) {
        ObjectNode r = JSON.createObjectNode();
        r.put("jsonrpc", "2.0");
        r.set("id", request.get("id"));
        r.set("result", result);
        return r.toString();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
