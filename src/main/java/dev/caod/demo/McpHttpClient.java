package dev.caod.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.caod.CaodVersion;

/**
 * A minimal MCP client over streamable HTTP, as a real agent CLI talks to caod: {@code initialize},
 * {@code notifications/initialized}, then {@code tools/call}, keeping the {@code Mcp-Session-Id}. Answers may come as
 * {@code application/json} or as an SSE stream. Not thread-safe; the agent makes one call at a time.
 */
public final class McpHttpClient {

    public static final String PROTOCOL_VERSION = "2025-06-18";
    public static final String CLIENT_NAME = "caod-demo-agent";

    /** A tool call's outcome: the concatenated text contents, or an error message. */
    public record Result(boolean error, String text) {
        static Result failure(String message) {
            return new Result(true, message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A handoff lasts as long as its worker works (at most 24 h, caod's largest timeout_seconds). */
    private static final Duration CALL_TIMEOUT = dev.caod.provider.Provider.LONGEST_TOOL_CALL;

    private final URI url;
    private final String token;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private String sessionId;
    private boolean initialized;
    private boolean sendProtocolHeader;

    public McpHttpClient(URI url, String token) {
        this.url = url;
        this.token = token == null || token.isBlank() ? null : token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Calls a tool; never throws: transport and protocol failures come back as an error result. */
    public Result callTool(String name, JsonNode arguments) {
        try {
            if (!initialized) {
                initialize();
            }
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            params.put("name", name);
            params.set("arguments", arguments == null ? JsonNodeFactory.instance.objectNode() : arguments);
            Exchange answer = request("tools/call", params);
            if (answer.status() == 404 && sessionId != null) {
                // the server forgot our session: start a new one, once
                initialized = false;
                sendProtocolHeader = false;
                sessionId = null;
                initialize();
                answer = request("tools/call", params);
            }
            return toolResult(answer.checked());
        } catch (McpException e) {
            return Result.failure(e.getMessage());
        } catch (IOException e) {
            return Result.failure("MCP server unreachable at " + url + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failure("interrupted");
        }
    }

    private void initialize() throws IOException, InterruptedException, McpException {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("protocolVersion", PROTOCOL_VERSION);
        params.set("capabilities", JsonNodeFactory.instance.objectNode());
        ObjectNode info = params.putObject("clientInfo");
        info.put("name", CLIENT_NAME);
        info.put("version", CaodVersion.get());
        Exchange answer = request("initialize", params);
        JsonNode result = answer.checked();
        if (!result.isObject()) {
            throw new McpException("MCP initialize failed: unexpected answer " + result);
        }
        answer.session().ifPresent(s -> sessionId = s);
        sendProtocolHeader = true;
        ObjectNode note = JsonNodeFactory.instance.objectNode();
        note.put("jsonrpc", "2.0");
        note.put("method", "notifications/initialized");
        HttpResponse<Void> ack = http.send(post(note).build(), HttpResponse.BodyHandlers.discarding());
        if (ack.statusCode() / 100 != 2) {
            throw new McpException("MCP notifications/initialized failed: HTTP " + ack.statusCode());
        }
        initialized = true;
    }

    private record Exchange(String method, int status, Optional<String> session, JsonNode message) {
        /** The JSON-RPC result, or an exception describing the HTTP or JSON-RPC error. */
        JsonNode checked() throws McpException {
            if (status == 401 || status == 403) {
                throw new McpException("MCP " + method + " refused: HTTP " + status + " (check the token)");
            }
            if (status / 100 != 2) {
                throw new McpException("MCP " + method + " failed: HTTP " + status);
            }
            if (message == null) {
                throw new McpException("MCP " + method + ": the server sent no answer");
            }
            JsonNode error = message.get("error");
            if (error != null && !error.isNull()) {
                throw new McpException(error.path("message").asText(error.toString()));
            }
            return message.path("result");
        }
    }

    private Exchange request(String method, JsonNode params) throws IOException, InterruptedException,
            McpException {
        long id = ids.incrementAndGet();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("method", method);
        body.set("params", params);
        HttpResponse<Stream<String>> response = http.send(post(body).timeout(CALL_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofLines());
        Optional<String> session = response.headers().firstValue("Mcp-Session-Id");
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() / 100 != 2) {
                return new Exchange(method, response.statusCode(), session, null);
            }
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase();
            JsonNode message = type.startsWith("text/event-stream") ? fromSse(lines.iterator(), id)
                    : parse(String.join("\n", (Iterable<String>) lines::iterator));
            return new Exchange(method, response.statusCode(), session, message);
        }
    }

    /** Reads SSE events until the JSON-RPC response with our id (skipping notifications and server requests). */
    private static JsonNode fromSse(Iterator<String> lines, long id) throws McpException {
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                JsonNode message = data.isEmpty() ? null : parse(data.toString());
                data.setLength(0);
                if (message != null && message.path("id").asLong(-1) == id
                        && (message.has("result") || message.has("error"))) {
                    return message;
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
        if (!data.isEmpty()) {
            JsonNode message = parse(data.toString());
            if (message.path("id").asLong(-1) == id) {
                return message;
            }
        }
        return null;
    }

    private static JsonNode parse(String json) throws McpException {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new McpException("MCP server sent invalid JSON: " + e.getOriginalMessage());

        }
    }

    private HttpRequest.Builder post(JsonNode body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
        }
        if (sendProtocolHeader) {
            b.header("Mcp-Protocol-Version", PROTOCOL_VERSION);
        }
        return b;
    }

    private static Result toolResult(JsonNode result) {
        StringBuilder text = new StringBuilder();
        for (JsonNode content : result.path("content")) {
            if ("text".equals(content.path("type").asText()) && content.has("text")) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(content.get("text").asText());
            }
        }
        if (text.isEmpty() && result.has("structuredContent")) {
            text.append(result.get("structuredContent").toString());
        }
        boolean error = result.path("isError").asBoolean(false);
        return new Result(error, error && text.isEmpty() ? "the tool failed" : text.toString());
    }

    private static String describe(IOException e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }

    static final class McpException extends Exception {
        private static final long serialVersionUID = 1L;

        McpException(String message) {
            super(message);
        }
    }
}
