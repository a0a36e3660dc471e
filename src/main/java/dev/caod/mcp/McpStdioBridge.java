package dev.caod.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.caod.provider.Provider;

/**
 * The relay behind {@code caod mcp}: MCP's stdio transport on one side (one JSON-RPC message per line), caod's
 * stateless streamable-HTTP endpoint on the other, for agent CLIs that can only start MCP servers as processes.
 *
 * <p>Every message is relayed on its own virtual thread, because a {@code handoff} holds its POST open until the
 * worker is done (minutes, hours) while the CLI keeps sending pings and other calls. When a call fails, the request
 * is answered with a JSON-RPC error that names the problem and the fix: the agent, and the user reading its screen,
 * see nothing else. stdout carries only protocol lines; diagnostics go to the log (stderr).
 */
public final class McpStdioBridge {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INTERNAL_ERROR = -32603;
    /** caod could not be reached, or the connection broke before it answered. */
    static final int UNREACHABLE = -32000;
    /** caod refused the call: unknown credential (401) or a non-loopback address (403). */
    static final int REFUSED = -32001;

    /** A little longer than caod's longest tool call, so that caod's own timeout answer arrives first. */
    private static final Duration CALL_TIMEOUT = Provider.LONGEST_TOOL_CALL.plusMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final URI url;
    private final String token;
    private final InputStream in;
    private final OutputStream out;
    private final PrintWriter log;
    private final HttpClient http;
    private final Object writeLock = new Object();
    private boolean outClosed;

    /** One message from stdin: {@code request} when it expects an answer (it has an id and is not a response). */
    private record Call(String line, JsonNode id, String what, boolean request) {
        static Call of(String line, JsonNode message) {
            JsonNode id = message.get("id");
            boolean response = message.has("result") || message.has("error");
            String method = message.path("method").asText("");
            return new Call(line, id == null ? NullNode.getInstance() : id,
                    response ? "a response" : method.isEmpty() ? "a message without method" : method,
                    id != null && !id.isNull() && !response);
        }
    }

    public McpStdioBridge(URI url, String token, InputStream in, OutputStream out, PrintWriter log) {
        this.url = Objects.requireNonNull(url);
        this.token = Objects.requireNonNull(token);
        this.in = in;
        this.out = out;
        this.log = log;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Relays until stdin ends, then waits for every call still in flight: a handoff under way is not cut short. A
     * client that will not wait ends the bridge with a signal; the dropped connection then cancels the handoff in
     * caod.
     */
    public void run() throws IOException {
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message;
                try {
                    message = JSON.readTree(line);
                } catch (JacksonException e) {
                    reject(PARSE_ERROR, "Parse error: not a JSON-RPC message (" + e.getOriginalMessage() + ")");
                    continue;
                }
                if (message == null || !message.isObject()) {
                    // MCP dropped JSON-RPC batches, and caod's endpoint takes one message per POST
                    reject(INVALID_REQUEST, "Invalid Request: expected one JSON-RPC message (a JSON object) per line");
                    continue;
                }
                Call call = Call.of(line, message);
                calls.execute(() -> relay(call));
            }
        }
    }

    private void reject(int code, String message) {
        log.println("caod mcp: stdin: " + message);
        writeLine(error(NullNode.getInstance(), code, message));
    }

    private void relay(Call call) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(call.line(), StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> body = response.body()) {
                String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase();
                if (response.statusCode() == 200 && type.startsWith("text/event-stream")) {
                    relayEvents(call, body.iterator());
                } else {
                    relayAnswer(call, response.statusCode(), body.collect(Collectors.joining("\n")).strip());
                }
            }
        } catch (HttpConnectTimeoutException | ConnectException e) {
            fail(call, UNREACHABLE, "caod is not reachable at " + url + ": is `caod serve` running? (" + describe(e)
                    + ")");
        } catch (HttpTimeoutException e) {
            fail(call, INTERNAL_ERROR, "caod did not answer " + call.what() + " within " + CALL_TIMEOUT.toHours()
                    + " h");
        } catch (IOException e) {
            fail(call, UNREACHABLE, "the connection to caod at " + url + " broke during " + call.what() + " ("
                    + describe(e) + "): did `caod serve` stop?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(call, INTERNAL_ERROR, "caod mcp was interrupted before caod answered " + call.what());
        }
    }

    private void relayAnswer(Call call, int status, String body) {
        if (status / 100 == 2 && body.isEmpty()) {
            // 202: caod took a notification or a response; a request, though, must get an answer
            if (call.request()) {
                fail(call, INTERNAL_ERROR, "caod sent no answer to " + call.what() + " (HTTP " + status + ")");
            }
            return;
        }
        if (status / 100 != 2) {
            String said = serverError(body);
            switch (status) {
                case 401 -> fail(call, REFUSED, "caod refused the credential (HTTP 401): run this bridge from an"
                        + " agent caod started (it sets CAOD_MCP_TOKEN), or pass that agent's token");
                case 403 -> fail(call, REFUSED, "caod refused the call (HTTP 403" + said + "): point --url or"
                        + " CAOD_MCP_URL at a loopback address, http://127.0.0.1:<http port>/mcp (see `caod status`)");
                case 400 -> fail(call, INVALID_REQUEST, "caod rejected " + call.what() + " (HTTP 400" + said + ")");
                case 404, 405 -> fail(call, INTERNAL_ERROR, "no MCP endpoint at " + url + " (HTTP " + status
                        + "): check --url or CAOD_MCP_URL (caod serves it at http://127.0.0.1:<http port>/mcp,"
                        + " see `caod status`)");
                default -> fail(call, INTERNAL_ERROR, (status >= 500 ? "caod failed on " : "caod refused ")
                        + call.what() + " (HTTP " + status + said + ")" + (status >= 500 ? ": see caod's log" : ""));
            }
            return;
        }
        if (forward(body) == null && call.request()) {
            fail(call, INTERNAL_ERROR, "caod's answer to " + call.what() + " is not a JSON-RPC message: "
                    + abbreviate(body));
        }
    }

    /** An SSE answer: every event is a message for the client; the last one should be the request's response. */
    private void relayEvents(Call call, Iterator<String> lines) {
        boolean answered = false;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
            } else if (line.isEmpty() && !data.isEmpty()) {
                answered |= forwardEvent(call, data.toString());
                data.setLength(0);
            }
        }
        if (!data.isEmpty()) {
            answered |= forwardEvent(call, data.toString());
        }
        if (!answered && call.request()) {
            fail(call, INTERNAL_ERROR, "caod's event stream ended without an answer to " + call.what());
        }
    }

    /** @return whether the event was the response to {@code call} */
    private boolean forwardEvent(Call call, String data) {
        JsonNode message = forward(data);
        if (message == null) {
            log.println("caod mcp: skipped an event that is not a JSON-RPC message: " + abbreviate(data));
            return false;
        }
        return message.path("id").equals(call.id()) && (message.has("result") || message.has("error"));
    }

    /** Writes a JSON-RPC message as one line; @return it parsed, or null (writing nothing) when it is not one. */
    private JsonNode forward(String json) {
        JsonNode message = parse(json);
        if (message == null || !message.isObject()) {
            return null;
        }
        // the text as caod sent it (numbers keep their precision); line breaks in valid JSON are only whitespace
        writeLine(json.strip().replace('\r', ' ').replace('\n', ' '));
        return message;
    }

    private void fail(Call call, int code, String message) {
        log.println("caod mcp: " + call.what() + ": " + message);
        if (call.request()) {
            writeLine(error(call.id(), code, message));
        }
    }

    private void writeLine(String json) {
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            if (outClosed) {
                return;
            }
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                outClosed = true;
                log.println("caod mcp: stdout is closed, answers are dropped: " + describe(e));
            }
        }
    }

    private static String error(JsonNode id, int code, String message) {
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", id);
        response.putObject("error").put("code", code).put("message", message);
        return response.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** caod's error bodies are {@code {"error": "..."}}; anything else is quoted, shortened. */
    private static String serverError(String body) {
        if (body.isEmpty()) {
            return "";
        }
        JsonNode parsed = parse(body);
        JsonNode said = parsed == null ? null : parsed.get("error");
        return ": " + (said != null && said.isTextual() ? said.asText() : abbreviate(body));
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }

    private static String describe(IOException e) {
        String msg = e.getMessage();
        return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
    }
}
