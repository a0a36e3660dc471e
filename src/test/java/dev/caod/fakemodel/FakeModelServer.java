package dev.caod.fakemodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A scripted fake model server for end-to-end tests of agent CLIs. Listens on 127.0.0.1 (ephemeral port by default)
 * and speaks:
 * <ul>
 *   <li>the Anthropic Messages API: {@code POST /v1/messages} (SSE when {@code stream} is true, JSON otherwise),
 *       {@code POST /v1/messages/count_tokens};</li>
 *   <li>the OpenAI Responses API: {@code POST /v1/responses} (SSE when {@code stream} is true, JSON otherwise), with
 *       MCP tools offered as {@code {"type":"namespace","name":"mcp__echo","tools":[…]}} and called with
 *       {@code "namespace"};</li>
 *   <li>the Gemini API: {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse} (SSE),
 *       {@code :generateContent} (JSON), {@code :countTokens} ({@link GeminiApi});</li>
 *   <li>the OpenAI Chat Completions API: {@code POST /v1/chat/completions} (SSE when {@code stream} is true, JSON
 *       otherwise), with the side requests of opencode and Qwen Code answered harmlessly
 *       ({@link ChatCompletionsApi});</li>
 *   <li>{@code GET /v1/models} (OpenAI and Gemini shape), and 200/404 answers to probes.</li>
 * </ul>
 * Structured-output side requests (Anthropic {@code output_config.format}, Responses {@code text.format}, Chat
 * Completions {@code response_format} with a {@code json_schema}, Gemini {@code generationConfig.responseJsonSchema}
 * / {@code responseSchema}) are answered immediately with a JSON object built from the schema (strings =
 * {@link Scenario#structuredTitle()}). Everything else is decided by the {@link Scenario}. Every request is recorded
 * ({@link #requests()}). The server never throws at the client: unknown requests get a 404 JSON error and are logged
 * to stderr.
 */
public final class FakeModelServer implements AutoCloseable {

    /** A tool offered in a request: {@code fullName} is what the model sees (namespace + "__" + name, if any). */
    public record ToolRef(String fullName, String namespace, String name) {
    }

    /** One received request. {@code json} is null when the body is empty or not JSON. */
    public record RecordedRequest(long seq, String method, String path, String query,
                                  Map<String, List<String>> headers, String body, JsonNode json) {
        public boolean isPost(String p) {
            return "POST".equals(method) && path.equals(p);
        }

        /** True for structured-output (json_schema) side requests such as title generation. */
        public boolean isStructured() {
            return json != null && structuredSchema(json) != null;
        }

        /** The last user text of the conversation (any of the four APIs), or "". */
        public String lastUserText() {
            return json == null ? "" : Conversation.of(path, json).lastUserText;
        }

        /** The tool results after the last user text, oldest first. */
        public List<String> toolResults() {
            return json == null ? List.of() : Conversation.of(path, json).toolResults;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NF = JsonNodeFactory.instance;

    private volatile Scenario scenario;
    private final int requestedPort;
    private final List<RecordedRequest> recorded = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean verbose;
    private HttpServer server;
    private ExecutorService executor;

    public FakeModelServer(Scenario scenario) {
        this(scenario, 0);
    }

    public FakeModelServer(Scenario scenario, int port) {
        this.scenario = Objects.requireNonNull(scenario);
        this.requestedPort = port;
    }

    /** Starts listening; returns {@code this}. */
    public synchronized FakeModelServer start() {
        if (server != null) return this;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    public int port() {
        if (server == null) throw new IllegalStateException("not started");
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} (no trailing slash; Codex wants {@code baseUrl() + "/v1"}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Scenario scenario() {
        return scenario;
    }

    /** Replaces the scenario for subsequent requests. */
    public void setScenario(Scenario s) {
        this.scenario = Objects.requireNonNull(s);
    }

    /** Logs one line per request to stderr. */
    public FakeModelServer verbose(boolean v) {
        this.verbose = v;
        return this;
    }

    /** A snapshot of all requests received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** Forgets the recorded requests. */
    public void clearRequests() {
        synchronized (recorded) {
            recorded.clear();
        }
    }

    /** Waits (without polling) until a recorded request matches; returns it. */
    public RecordedRequest awaitRequest(Predicate<RecordedRequest> p, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (recorded) {
            while (true) {
                for (RecordedRequest r : recorded) {
                    if (p.test(r)) return r;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException("no matching request within " + timeout);
                recorded.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    private void handle(HttpExchange ex) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        try (ex) {
            String body = readBody(ex);
            JsonNode json = null;
            if (!body.isBlank()) {
                try {
                    json = JSON.readTree(body);
                } catch (JsonProcessingException e) {
                    json = null;
                }
            }
            RecordedRequest rr = new RecordedRequest(seq.incrementAndGet(), method, path,
                    ex.getRequestURI().getRawQuery(), Map.copyOf(ex.getRequestHeaders()), body, json);
            synchronized (recorded) {
                recorded.add(rr);
                recorded.notifyAll();
            }
            String p = path.replaceAll("/+$", "");
            boolean decisionLogged = p.endsWith("/messages") || p.endsWith("/responses")
                    || p.endsWith("/chat/completions") || GeminiApi.isGenerate(p);
            if (verbose && !decisionLogged) {
                log("#" + rr.seq() + " " + method + " " + ex.getRequestURI());
            }
            if ("POST".equals(method) && json != null && (p.endsWith("/messages/count_tokens"))) {
                ObjectNode o = NF.objectNode();
                o.put("input_tokens", Math.max(1, body.length() / 4));
                sendJson(ex, 200, o);
            } else if ("POST".equals(method) && json != null && p.endsWith("/messages")) {
                anthropic(ex, rr);
            } else if ("POST".equals(method) && json != null && p.endsWith("/responses")) {
                responses(ex, rr);
            } else if ("POST".equals(method) && json != null && p.endsWith("/chat/completions")) {
                ChatCompletionsApi.handle(this, ex, rr);
            } else if ("POST".equals(method) && json != null && GeminiApi.handles(p)) {
                GeminiApi.handle(this, ex, rr);
            } else if (("GET".equals(method) || "HEAD".equals(method)) && p.endsWith("/models")) {
                sendJson(ex, 200, models(method));
            } else if (("GET".equals(method) || "HEAD".equals(method)) && (p.isEmpty() || p.equals("/v1"))) {
                sendText(ex, 200, "fake model server\n");
            } else {
                log("unknown request " + method + " " + ex.getRequestURI() + (body.isBlank() ? "" : " body="
                        + abbreviate(body, 300)));
                ObjectNode err = NF.objectNode();
                err.put("type", "error");
                ObjectNode e = err.putObject("error");
                e.put("type", "not_found_error");
                e.put("message", "fake model server: no handler for " + method + " " + path);
                sendJson(ex, 404, err);
            }
        } catch (Throwable t) {
            if (t instanceof IOException io && isClientGone(io)) {
                if (verbose) log("client went away: " + method + " " + path);
                return;
            }
            log("error handling " + method + " " + path + ": " + t);
            try {
                ObjectNode err = NF.objectNode();
                err.putObject("error").put("message", String.valueOf(t));
                sendJson(ex, 500, err);
            } catch (Throwable ignored) {
                // headers already sent or connection gone
            }
        }
    }

    private static boolean isClientGone(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("broken pipe") || m.contains("connection reset") || m.contains("stream is closed")
                || m.contains("closed");
    }

    private static ObjectNode models(String method) {
        ObjectNode o = NF.objectNode();
        o.put("object", "list");
        ArrayNode data = o.putArray("data");
        for (String id : List.of("fake-model", "claude-sonnet-4-5", "claude-haiku-4-5")) {
            ObjectNode m = data.addObject();
            m.put("id", id);
            m.put("object", "model");
            m.put("type", "model");
            m.put("display_name", id);
            m.put("created", 1700000000);
            m.put("created_at", "2025-01-01T00:00:00Z");
            m.put("owned_by", "fake");
        }
        o.put("has_more", false);
        o.put("first_id", "fake-model");
        o.put("last_id", "claude-haiku-4-5");
        ArrayNode gemini = o.putArray("models"); // the Gemini API's shape of the same list
        for (String id : List.of("fake-model", "gemini-2.5-pro", "gemini-2.5-flash")) {
            ObjectNode m = gemini.addObject();
            m.put("name", "models/" + id);
            m.put("displayName", id);
            m.put("inputTokenLimit", 1_000_000);
            m.put("outputTokenLimit", 65_536);
            m.putArray("supportedGenerationMethods").add("generateContent").add("streamGenerateContent")
                    .add("countTokens");
        }
        return o;
    }

    // ------------------------------------------------------------------------------------------------ conversation

    /** What the fake model needs from a conversation, for all APIs. */
    static final class Conversation {
        String lastUserText = "";
        final List<String> toolResults = new ArrayList<>();
        final List<ToolRef> tools = new ArrayList<>();

        static Conversation of(String path, JsonNode body) {
            Conversation c = new Conversation();
            if (path.endsWith("/responses")) c.parseResponses(body);
            else if (path.endsWith("/chat/completions")) ChatCompletionsApi.parse(c, body);
            else if (GeminiApi.handles(path)) GeminiApi.parse(c, body);
            else c.parseAnthropic(body);
            return c;
        }

        void userText(String text) {
            lastUserText = text;
            toolResults.clear();
        }

        private void parseAnthropic(JsonNode body) {
            for (JsonNode m : body.path("messages")) {
                if (!"user".equals(m.path("role").asText())) continue;
                JsonNode content = m.path("content");
                if (content.isTextual()) {
                    String t = cleanUserText(content.asText());
                    if (!t.isBlank()) userText(t);
                    continue;
                }
                List<String> texts = new ArrayList<>();
                List<String> results = new ArrayList<>();
                for (JsonNode b : content) {
                    String type = b.path("type").asText();
                    if ("text".equals(type)) {
                        String t = cleanUserText(b.path("text").asText());
                        if (!t.isBlank()) texts.add(t);
                    } else if ("tool_result".equals(type)) {
                        results.add(resultText(b.path("content")));
                    }
                }
                if (!results.isEmpty()) toolResults.addAll(results);
                else if (!texts.isEmpty()) userText(String.join("\n", texts));
            }
            for (JsonNode t : body.path("tools")) {
                String name = t.path("name").asText("");
                if (!name.isEmpty()) tools.add(new ToolRef(name, null, name));
            }
        }

        private void parseResponses(JsonNode body) {
            JsonNode input = body.path("input");
            if (input.isTextual()) {
                userText(input.asText());
            } else {
                for (JsonNode item : input) {
                    String type = item.path("type").asText("message");
                    if ("message".equals(type) && "user".equals(item.path("role").asText())) {
                        JsonNode content = item.path("content");
                        List<String> texts = new ArrayList<>();
                        if (content.isTextual()) {
                            texts.add(cleanUserText(content.asText()));
                        } else {
                            for (JsonNode b : content) {
                                String t = cleanUserText(b.path("text").asText(""));
                                if (!t.isBlank()) texts.add(t);
                            }
                        }
                        String t = String.join("\n", texts);
                        if (!t.isBlank()) userText(t);
                    } else if (type.endsWith("_call_output")) {
                        toolResults.add(resultText(item.path("output")));
                    }
                }
            }
            for (JsonNode t : body.path("tools")) {
                String type = t.path("type").asText();
                String name = t.path("name").asText("");
                if ("namespace".equals(type)) {
                    for (JsonNode inner : t.path("tools")) {
                        String n = inner.path("name").asText("");
                        if (!n.isEmpty()) tools.add(new ToolRef(name + "__" + n, name, n));
                    }
                } else if (!name.isEmpty()) {
                    tools.add(new ToolRef(name, null, name));
                }
            }
        }

        private static final Pattern REMINDER = Pattern.compile("(?s)<system-reminder>.*?</system-reminder>");
        private static final Pattern WRAPPED = Pattern.compile("(?s)^<([A-Za-z_][\\w -]*)>.*</\\1>$");

        /** Drops text the CLI injects (system reminders, environment context, AGENTS.md instructions). */
        static String cleanUserText(String s) {
            String t = REMINDER.matcher(s).replaceAll("").strip();
            if (WRAPPED.matcher(t).matches()) return "";
            if (t.startsWith("# AGENTS.md instructions")) return "";
            return t;
        }

        private static final Pattern WALL_TIME = Pattern.compile("(?s)^Wall time:.*Output:\\s*$");

        static String resultText(JsonNode content) {
            if (content.isTextual()) return content.asText();
            if (content.isArray()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode b : content) {
                    String t = b.isTextual() ? b.asText() : b.path("text").asText("");
                    if (!t.isEmpty() && !WALL_TIME.matcher(t).matches()) parts.add(t);
                }
                return String.join("\n", parts);
            }
            if (content.isMissingNode() || content.isNull()) return "";
            return content.toString();
        }
    }

    /**
     * The json_schema of a structured-output request (Anthropic output_config.format / Responses text.format / Chat
     * Completions response_format / Gemini generationConfig.responseJsonSchema or responseSchema).
     */
    static JsonNode structuredSchema(JsonNode body) {
        JsonNode gen = body.path("generationConfig");
        for (String field : List.of("responseJsonSchema", "responseSchema", "response_json_schema",
                "response_schema")) {
            if (gen.path(field).isObject()) return gen.path(field);
        }
        for (JsonNode f : List.of(body.path("output_config").path("format"), body.path("output_format"),
                body.path("text").path("format"), body.path("response_format"))) {
            if ("json_schema".equals(f.path("type").asText())) {
                JsonNode s = f.path("schema");
                if (s.isMissingNode()) s = f.path("json_schema").path("schema");
                return s.isMissingNode() ? NF.objectNode() : s;
            }
        }
        return null;
    }

    /** Builds a value matching {@code schema}: strings get {@code title}, numbers 0, booleans false. */
    static JsonNode fromSchema(JsonNode schema, String title, int depth) {
        if (depth > 8) return NF.nullNode();
        if (schema.has("const")) return schema.get("const");
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) return schema.path("enum").get(0);
        for (String alt : List.of("anyOf", "oneOf", "allOf")) {
            if (schema.path(alt).isArray() && !schema.path(alt).isEmpty()) {
                return fromSchema(schema.path(alt).get(0), title, depth + 1);
            }
        }
        JsonNode typeNode = schema.path("type");
        // Gemini's OpenAPI-style schemas spell types in capitals (OBJECT, STRING)
        String type = typeNode.isArray() ? typeNode.path(0).asText() : typeNode.asText("");
        type = type.toLowerCase(Locale.ROOT);
        if (type.isEmpty() && schema.has("properties")) type = "object";
        switch (type) {
            case "object": {
                ObjectNode o = NF.objectNode();
                for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
                    o.set(e.getKey(), fromSchema(e.getValue(), title, depth + 1));
                }
                return o;
            }
            case "array":
                return NF.arrayNode();
            case "boolean":
                return NF.booleanNode(false);
            case "integer":
            case "number":
                return NF.numberNode(0);
            case "null":
                return NF.nullNode();
            default:
                return NF.textNode(title);
        }
    }

    /**
     * The decision for a turn request of any API: a JSON object built from the schema for structured-output side
     * requests, else the scenario's step. Logged.
     */
    Scenario.Decision decide(RecordedRequest rr, Conversation conv) {
        Scenario sc = scenario;
        JsonNode schema = structuredSchema(rr.json());
        Scenario.Decision d = schema != null ? structuredReply(schema) : sc.decide(conv.lastUserText,
                conv.toolResults.size(), conv.toolResults.isEmpty() ? null : conv.toolResults.getLast(), conv.tools);
        logDecision(rr, conv, schema != null ? "structured" : describe(d));
        return d;
    }

    Scenario.Reply structuredReply(JsonNode schema) {
        return new Scenario.Reply(fromSchema(schema, scenario.structuredTitle(), 0).toString(), Duration.ZERO, 0,
                Duration.ZERO);
    }

    /** A fresh id: {@code prefix} plus a counter. */
    String nextId(String prefix) {
        return prefix + ids.incrementAndGet();
    }

    // ------------------------------------------------------------------------------------------------ Anthropic

    private void anthropic(HttpExchange ex, RecordedRequest rr) throws IOException, InterruptedException {
        JsonNode body = rr.json();
        boolean stream = body.path("stream").asBoolean(false);
        String model = body.path("model").asText("fake-model");
        Conversation conv = Conversation.of(rr.path(), body);
        Scenario sc = scenario;

        // Decide: structured output, forced tool (tool_choice), or the scenario.
        Scenario.Decision d;
        JsonNode schema = structuredSchema(body);
        JsonNode forcedTool = null;
        if ("tool".equals(body.path("tool_choice").path("type").asText())) {
            String forced = body.path("tool_choice").path("name").asText();
            for (JsonNode t : body.path("tools")) {
                if (forced.equals(t.path("name").asText())) forcedTool = t;
            }
        }
        if (schema != null) {
            d = new Scenario.Reply(fromSchema(schema, sc.structuredTitle(), 0).toString(), Duration.ZERO, 0,
                    Duration.ZERO);
        } else if (forcedTool != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> args = JSON.convertValue(
                    fromSchema(forcedTool.path("input_schema"), sc.structuredTitle(), 0), Map.class);
            String n = forcedTool.path("name").asText();
            d = new Scenario.CallTool(new ToolRef(n, null, n), args, Duration.ZERO, 0, Duration.ZERO);
        } else {
            d = sc.decide(conv.lastUserText, conv.toolResults.size(),
                    conv.toolResults.isEmpty() ? null : conv.toolResults.get(conv.toolResults.size() - 1),
                    conv.tools);
        }
        logDecision(rr, conv, schema != null ? "structured" : describe(d));

        String msgId = "msg_fake_" + ids.incrementAndGet();
        String toolId = "toolu_fake_" + ids.incrementAndGet();
        int outTokens = 0;
        if (!stream) {
            sleep(d.delay());
            ObjectNode msg = NF.objectNode();
            msg.put("id", msgId);
            msg.put("type", "message");
            msg.put("role", "assistant");
            msg.put("model", model);
            ArrayNode content = msg.putArray("content");
            if (d instanceof Scenario.CallTool ct) {
                ObjectNode b = content.addObject();
                b.put("type", "tool_use");
                b.put("id", toolId);
                b.put("name", ct.tool().fullName());
                b.set("input", JSON.valueToTree(ct.args()));
                msg.put("stop_reason", "tool_use");
            } else {
                Scenario.Reply r = (Scenario.Reply) d;
                content.addObject().put("type", "text").put("text", r.text());
                msg.put("stop_reason", "end_turn");
                outTokens = tokens(r.text());
            }
            msg.putNull("stop_sequence");
            msg.set("usage", anthropicUsage(rr, Math.max(1, outTokens)));
            sendJson(ex, 200, msg);
            return;
        }

        OutputStream os = startSse(ex);
        ObjectNode start = NF.objectNode();
        start.put("type", "message_start");
        ObjectNode m = start.putObject("message");
        m.put("id", msgId);
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        m.putArray("content");
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        m.set("usage", anthropicUsage(rr, 1));
        sse(os, "message_start", start);
        sse(os, "ping", NF.objectNode().put("type", "ping"));
        // delay with a ping every second, so nothing idles out
        long until = System.nanoTime() + d.delay().toNanos();
        while (System.nanoTime() < until) {
            sleep(Duration.ofNanos(Math.min(1_000_000_000L, until - System.nanoTime())));
            sse(os, "ping", NF.objectNode().put("type", "ping"));
        }
        String stopReason;
        if (d instanceof Scenario.CallTool ct) {
            ObjectNode cbs = NF.objectNode();
            cbs.put("type", "content_block_start");
            cbs.put("index", 0);
            ObjectNode cb = cbs.putObject("content_block");
            cb.put("type", "tool_use");
            cb.put("id", toolId);
            cb.put("name", ct.tool().fullName());
            cb.putObject("input");
            sse(os, "content_block_start", cbs);
            String args = JSON.writeValueAsString(ct.args());
            int half = args.length() / 2;
            for (String part : List.of(args.substring(0, half), args.substring(half))) {
                ObjectNode delta = NF.objectNode();
                delta.put("type", "content_block_delta");
                delta.put("index", 0);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", part);
                sse(os, "content_block_delta", delta);
            }
            sse(os, "content_block_stop", NF.objectNode().put("type", "content_block_stop").put("index", 0));
            stopReason = "tool_use";
            outTokens = tokens(args);
        } else {
            Scenario.Reply r = (Scenario.Reply) d;
            ObjectNode cbs = NF.objectNode();
            cbs.put("type", "content_block_start");
            cbs.put("index", 0);
            cbs.putObject("content_block").put("type", "text").put("text", "");
            sse(os, "content_block_start", cbs);
            List<String> chunks = chunks(r.text(), r.linesPerChunk());
            for (int i = 0; i < chunks.size(); i++) {
                if (i > 0) sleep(r.chunkPause());
                ObjectNode delta = NF.objectNode();
                delta.put("type", "content_block_delta");
                delta.put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", chunks.get(i));
                sse(os, "content_block_delta", delta);
            }
            sse(os, "content_block_stop", NF.objectNode().put("type", "content_block_stop").put("index", 0));
            stopReason = "end_turn";
            outTokens = tokens(r.text());
        }
        ObjectNode md = NF.objectNode();
        md.put("type", "message_delta");
        md.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        md.putObject("usage").put("output_tokens", Math.max(1, outTokens));
        sse(os, "message_delta", md);
        sse(os, "message_stop", NF.objectNode().put("type", "message_stop"));
    }

    private static ObjectNode anthropicUsage(RecordedRequest rr, int out) {
        ObjectNode u = NF.objectNode();
        u.put("input_tokens", Math.max(1, rr.body().length() / 4));
        u.put("cache_creation_input_tokens", 0);
        u.put("cache_read_input_tokens", 0);
        u.put("output_tokens", out);
        return u;
    }

    // ------------------------------------------------------------------------------------------------ Responses

    private void responses(HttpExchange ex, RecordedRequest rr) throws IOException, InterruptedException {
        JsonNode body = rr.json();
        boolean stream = body.path("stream").asBoolean(false);
        String model = body.path("model").asText("fake-model");
        Scenario.Decision d = decide(rr, Conversation.of(rr.path(), body));

        String respId = "resp_fake_" + ids.incrementAndGet();
        String itemId = (d instanceof Scenario.CallTool ? "fc_fake_" : "msg_fake_") + ids.incrementAndGet();
        String callId = "call_fake_" + ids.incrementAndGet();
        ObjectNode finalItem = NF.objectNode();
        String args = null;
        String text = null;
        if (d instanceof Scenario.CallTool ct) {
            args = JSON.writeValueAsString(ct.args());
            finalItem.put("type", "function_call");
            finalItem.put("id", itemId);
            finalItem.put("call_id", callId);
            finalItem.put("name", ct.tool().name());
            if (ct.tool().namespace() != null) finalItem.put("namespace", ct.tool().namespace());
            finalItem.put("arguments", args);
            finalItem.put("status", "completed");
        } else {
            text = ((Scenario.Reply) d).text();
            finalItem.put("type", "message");
            finalItem.put("id", itemId);
            finalItem.put("status", "completed");
            finalItem.put("role", "assistant");
            finalItem.putArray("content").addObject().put("type", "output_text").put("text", text)
                    .putArray("annotations");
        }
        int outTokens = Math.max(1, tokens(args != null ? args : text));

        if (!stream) {
            sleep(d.delay());
            ObjectNode resp = responseObject(respId, model, "completed", rr, outTokens);
            ((ArrayNode) resp.get("output")).add(finalItem);
            if (text != null) resp.put("output_text", text);
            sendJson(ex, 200, resp);
            return;
        }

        OutputStream os = startSse(ex);
        int[] n = {0};
        sse(os, "response.created", ev(n, "response.created").set("response",
                responseObject(respId, model, "in_progress", rr, 0)));
        sse(os, "response.in_progress", ev(n, "response.in_progress").set("response",
                responseObject(respId, model, "in_progress", rr, 0)));
        sleep(d.delay());

        if (d instanceof Scenario.CallTool) {
            ObjectNode added = finalItem.deepCopy();
            added.put("arguments", "");
            added.put("status", "in_progress");
            sse(os, "response.output_item.added", ev(n, "response.output_item.added").put("output_index", 0)
                    .set("item", added));
            int half = args.length() / 2;
            for (String part : List.of(args.substring(0, half), args.substring(half))) {
                sse(os, "response.function_call_arguments.delta", ev(n, "response.function_call_arguments.delta")
                        .put("item_id", itemId).put("output_index", 0).put("delta", part));
            }
            sse(os, "response.function_call_arguments.done", ev(n, "response.function_call_arguments.done")
                    .put("item_id", itemId).put("output_index", 0).put("arguments", args));
        } else {
            Scenario.Reply r = (Scenario.Reply) d;
            ObjectNode added = NF.objectNode();
            added.put("type", "message");
            added.put("id", itemId);
            added.put("status", "in_progress");
            added.put("role", "assistant");
            added.putArray("content");
            sse(os, "response.output_item.added", ev(n, "response.output_item.added").put("output_index", 0)
                    .set("item", added));
            ObjectNode part = NF.objectNode().put("type", "output_text").put("text", "");
            part.putArray("annotations");
            sse(os, "response.content_part.added", ev(n, "response.content_part.added").put("item_id", itemId)
                    .put("output_index", 0).put("content_index", 0).set("part", part));
            List<String> chunks = chunks(text, r.linesPerChunk());
            for (int i = 0; i < chunks.size(); i++) {
                if (i > 0) sleep(r.chunkPause());
                sse(os, "response.output_text.delta", ev(n, "response.output_text.delta").put("item_id", itemId)
                        .put("output_index", 0).put("content_index", 0).put("delta", chunks.get(i)));
            }
            sse(os, "response.output_text.done", ev(n, "response.output_text.done").put("item_id", itemId)
                    .put("output_index", 0).put("content_index", 0).put("text", text));
            ObjectNode donePart = NF.objectNode().put("type", "output_text").put("text", text);
            donePart.putArray("annotations");
            sse(os, "response.content_part.done", ev(n, "response.content_part.done").put("item_id", itemId)
                    .put("output_index", 0).put("content_index", 0).set("part", donePart));
        }
        sse(os, "response.output_item.done", ev(n, "response.output_item.done").put("output_index", 0)
                .set("item", finalItem));
        ObjectNode done = responseObject(respId, model, "completed", rr, outTokens);
        ((ArrayNode) done.get("output")).add(finalItem);
        sse(os, "response.completed", ev(n, "response.completed").set("response", done));
    }

    private static ObjectNode ev(int[] n, String type) {
        ObjectNode o = NF.objectNode();
        o.put("type", type);
        o.put("sequence_number", n[0]++);
        return o;
    }

    private static ObjectNode responseObject(String id, String model, String status, RecordedRequest rr, int out) {
        ObjectNode r = NF.objectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", System.currentTimeMillis() / 1000);
        r.put("status", status);
        r.put("model", model);
        r.putArray("output");
        r.putNull("error");
        r.putNull("incomplete_details");
        if ("completed".equals(status)) {
            int in = Math.max(1, rr.body().length() / 4);
            ObjectNode u = r.putObject("usage");
            u.put("input_tokens", in);
            u.putObject("input_tokens_details").put("cached_tokens", 0);
            u.put("output_tokens", out);
            u.putObject("output_tokens_details").put("reasoning_tokens", 0);
            u.put("total_tokens", in + out);
        } else {
            r.putNull("usage");
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    static List<String> chunks(String text, int linesPerChunk) {
        List<String> out = new ArrayList<>();
        if (linesPerChunk <= 0) {
            // a few pieces anyway, so clients exercise delta accumulation
            int step = Math.max(1, Math.min(200, (text.length() + 2) / 3));
            for (int i = 0; i < text.length(); i += step) out.add(text.substring(i, Math.min(text.length(), i + step)));
            if (out.isEmpty()) out.add("");
            return out;
        }
        String[] lines = text.split("(?<=\n)");
        StringBuilder sb = new StringBuilder();
        int count = 0;
        for (String l : lines) {
            sb.append(l);
            if (++count == linesPerChunk) {
                out.add(sb.toString());
                sb.setLength(0);
                count = 0;
            }
        }
        if (!sb.isEmpty() || out.isEmpty()) out.add(sb.toString());
        return out;
    }

    static int tokens(String s) {
        return s == null ? 0 : Math.max(1, s.length() / 4);
    }

    static void sleep(Duration d) throws InterruptedException {
        if (d != null && !d.isZero() && !d.isNegative()) Thread.sleep(d);
    }

    private static String readBody(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        String enc = String.valueOf(ex.getRequestHeaders().getFirst("Content-Encoding")).toLowerCase(Locale.ROOT);
        if (enc.contains("gzip")) in = new GZIPInputStream(in);
        else if (enc.contains("deflate")) in = new InflaterInputStream(in);
        else if (!"null".equals(enc) && !enc.isBlank() && !enc.equals("identity")) {
            log("unsupported Content-Encoding " + enc + " on " + ex.getRequestURI());
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        in.transferTo(bos);
        return bos.toString(StandardCharsets.UTF_8);
    }

    static OutputStream startSse(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.getResponseHeaders().set("request-id", "req_fake_" + UUID.randomUUID());
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    private static void sse(OutputStream os, String event, JsonNode data) throws IOException {
        String s = "event: " + event + "\ndata: " + data.toString() + "\n\n";
        os.write(s.getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    /** An SSE event without a name, as the Gemini and Chat Completions APIs send them ({@code data: [DONE]} too). */
    static void sseData(OutputStream os, String data) throws IOException {
        os.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, b);
    }

    private static void sendText(HttpExchange ex, int status, String text) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(ex, status, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, byte[] b) throws IOException {
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
    }

    void logDecision(RecordedRequest rr, Conversation c, String what) {
        if (!verbose) return;
        boolean stream = rr.json().path("stream").asBoolean() || rr.path().endsWith(":streamGenerateContent");
        log("#" + rr.seq() + " " + rr.method() + " " + rr.path() + " stream=" + stream + " tools=" + c.tools.size()
                + " user=\"" + abbreviate(c.lastUserText, 60) + "\" results=" + c.toolResults.size() + " -> " + what);
    }

    static String describe(Scenario.Decision d) {
        String delay = d.delay().isZero() ? "" : " after " + d.delay().toMillis() + "ms";
        if (d instanceof Scenario.CallTool ct) return "call " + ct.tool().fullName() + " " + ct.args() + delay;
        return "reply \"" + abbreviate(((Scenario.Reply) d).text(), 60) + "\"" + delay;
    }

    private static String abbreviate(String s, int max) {
        String t = s.replace("\n", "\\n");
        return t.length() <= max ? t : t.substring(0, max) + "…";
    }

    private static void log(String s) {
        System.err.println("[fake-model] " + s);
        System.err.flush();
    }

    // ------------------------------------------------------------------------------------------------ main

    /**
     * The scenario used by {@link #main} (and by {@code src/test/resources/screens/record.sh}). Prompts:
     * <ul>
     *   <li>{@code say hello} → {@code HELLO-42}</li>
     *   <li>{@code slow hello} → {@code FAKE-SLOW-HELLO done} after {@code delay}</li>
     *   <li>{@code use the tool} → calls {@code echo_marker(text=MARKER-1)}, then {@code FAKE-DONE marker
     *       <result>}</li>
     *   <li>{@code slow tool} → calls {@code echo_marker(text=SLOW-MARKER)}, then after {@code delay}
     *       {@code FAKE-DONE after slow tool: <result>}</li>
     *   <li>{@code long answer} → 150 lines {@code LINE-001 …} … {@code LINE-150 …}</li>
     *   <li>anything else → {@code FAKE-DEFAULT}</li>
     * </ul>
     */
    public static Scenario demoScenario(Duration delay) {
        return Scenario.builder()
                .when("(?i)say hello").reply("HELLO-42")
                .when("(?i)slow hello").reply("FAKE-SLOW-HELLO done").delay(delay)
                .when("(?i)slow tool").callTool("echo_marker", Map.of("text", "SLOW-MARKER"))
                .thenReply("FAKE-DONE after slow tool: {tool_result}").delay(delay)
                .when("(?i)use the tool").callTool("echo_marker", Map.of("text", "MARKER-1"))
                .thenReply("FAKE-DONE marker {tool_result}")
                .when("(?i)long answer").reply(Scenario.numberedLines("LINE-", 150))
                .defaultReply("FAKE-DEFAULT")
                .build();
    }

    /**
     * Standalone server. Options:
     * <pre>
     *   --port N              listen on N (default: ephemeral)
     *   --delay-seconds S     delay of the demo scenario's slow rules (default 20)
     *   --rule 'REGEX=>TEXT'  reply rule, checked before the demo rules (repeatable)
     *   --tool-rule 'REGEX=>TOOL=>{"json":"args"}=>TEXT'   tool round-trip rule (repeatable)
     *   --url-file PATH       also write the base URL to PATH
     *   --quiet               do not log each request
     * </pre>
     * Prints {@code FAKE_MODEL_BASE_URL=http://127.0.0.1:PORT} on stdout and runs until killed.
     */
    public static void main(String[] args) throws Exception {
        int port = 0;
        long delaySeconds = 20;
        Path urlFile = null;
        boolean quiet = false;
        List<String[]> rules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--delay-seconds" -> delaySeconds = Long.parseLong(args[++i]);
                case "--rule", "--tool-rule" -> rules.add(args[++i].split("=>", 4));
                case "--url-file" -> urlFile = Path.of(args[++i]);
                case "--quiet" -> quiet = true;
                default -> {
                    System.err.println("unknown option " + args[i] + "; see FakeModelServer#main javadoc");
                    System.exit(2);
                }
            }
        }
        Scenario.Builder b = Scenario.builder();
        for (String[] r : rules) {
            if (r.length == 2) {
                b.when(r[0]).reply(r[1]);
            } else if (r.length == 4) {
                @SuppressWarnings("unchecked")
                Map<String, Object> a = JSON.readValue(r[2], LinkedHashMap.class);
                b.when(r[0]).callTool(r[1], a).thenReply(r[3]);
            } else {
                System.err.println("bad rule: " + String.join("=>", r));
                System.exit(2);
            }
        }
        for (Scenario.Rule r : demoScenario(Duration.ofSeconds(delaySeconds)).rules()) {
            b.when(r.pattern().pattern());
            for (Scenario.Step s : r.steps()) {
                if (s.isToolCall()) b.callTool(s.toolSuffix(), s.toolArgs());
                else b.reply(s.text());
                if (!s.delay().isZero()) b.delay(s.delay());
            }
        }
        Scenario scenario = b.defaultReply("FAKE-DEFAULT").build();
        FakeModelServer server = new FakeModelServer(scenario, port).verbose(!quiet).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("FAKE_MODEL_BASE_URL=" + server.baseUrl());
        System.out.flush();
        if (urlFile != null) Files.writeString(urlFile, server.baseUrl() + "\n");
        Thread.currentThread().join();
    }
}
