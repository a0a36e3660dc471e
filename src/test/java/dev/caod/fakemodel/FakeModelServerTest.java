package dev.caod.fakemodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Drives the four APIs of {@link FakeModelServer} over real HTTP, streaming, like the CLIs do. */
class FakeModelServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeModelServer server;

    record Event(String name, JsonNode data) {
    }

    @BeforeEach
    void start() {
        Scenario scenario = Scenario.builder()
                .when("(?i)say hello").reply("HELLO-42")
                .when("use the tool").callTool("echo_marker", Map.of("text", "X")).thenReply("DONE {tool_result}")
                .when("long").reply(Scenario.numberedLines("LINE-", 150)).slowStream(50, Duration.ofMillis(1))
                .defaultReply("FAKE-DEFAULT")
                .build();
        server = new FakeModelServer(scenario).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ------------------------------------------------------------------------------------------------ Anthropic

    @Test
    void anthropicStreamsATextReply() throws Exception {
        List<Event> events = sse("/v1/messages", """
                {"model":"claude-x","max_tokens":100,"stream":true,
                 "messages":[{"role":"user","content":[
                   {"type":"text","text":"<system-reminder>say hello is not here</system-reminder>"},
                   {"type":"text","text":"please say hello"}]}]}""");

        assertEquals("message_start", events.get(0).name());
        assertEquals("message_stop", events.get(events.size() - 1).name());
        assertEquals("HELLO-42", anthropicText(events));
        assertEquals("end_turn", eventData(events, "message_delta").path("delta").path("stop_reason").asText());
        assertEquals("please say hello", server.requests().get(0).lastUserText());
    }

    @Test
    void anthropicToolRoundTrip() throws Exception {
        String tools = """
                "tools":[{"name":"Bash","input_schema":{"type":"object"}},
                         {"name":"mcp__echo__echo_marker","input_schema":{"type":"object",
                          "properties":{"text":{"type":"string"}}}}]""";
        List<Event> first = sse("/v1/messages", """
                {"model":"claude-x","stream":true,%s,
                 "messages":[{"role":"user","content":"use the tool"}]}""".formatted(tools));

        JsonNode start = eventData(first, "content_block_start").path("content_block");
        assertEquals("tool_use", start.path("type").asText());
        assertEquals("mcp__echo__echo_marker", start.path("name").asText());
        String partial = first.stream().filter(e -> e.name().equals("content_block_delta"))
                .map(e -> e.data().path("delta").path("partial_json").asText()).collect(Collectors.joining());
        assertEquals(Map.of("text", "X"), JSON.readValue(partial, Map.class));
        assertEquals("tool_use", eventData(first, "message_delta").path("delta").path("stop_reason").asText());

        String toolUseId = start.path("id").asText();
        List<Event> second = sse("/v1/messages", """
                {"model":"claude-x","stream":true,%s,
                 "messages":[{"role":"user","content":"use the tool"},
                   {"role":"assistant","content":[{"type":"tool_use","id":"%s","name":"mcp__echo__echo_marker",
                     "input":{"text":"X"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s",
                     "content":[{"type":"text","text":"echo_marker wrote: X"}]}]}]}"""
                .formatted(tools, toolUseId, toolUseId));

        assertEquals("DONE echo_marker wrote: X", anthropicText(second));
        assertEquals(List.of("echo_marker wrote: X"), server.requests().get(1).toolResults());
    }

    @Test
    void anthropicNonStreamingAndStructuredTitle() throws Exception {
        JsonNode plain = post("/v1/messages", """
                {"model":"claude-x","messages":[{"role":"user","content":"anything"}]}""");
        assertEquals("FAKE-DEFAULT", plain.path("content").path(0).path("text").asText());
        assertEquals("end_turn", plain.path("stop_reason").asText());

        // a title side request must not be answered by the tool rule even though the text matches it
        List<Event> title = sse("/v1/messages", """
                {"model":"claude-haiku","stream":true,
                 "output_config":{"format":{"type":"json_schema","schema":{"type":"object",
                   "properties":{"title":{"type":"string"}},"required":["title"]}}},
                 "messages":[{"role":"user","content":"use the tool. Write the title"}]}""");
        assertEquals("Fake task", JSON.readTree(anthropicText(title)).path("title").asText());
        assertTrue(server.requests().get(1).isStructured());
    }

    @Test
    void slowStreamDeliversTheWholeLongAnswer() throws Exception {
        List<Event> events = sse("/v1/messages", """
                {"model":"claude-x","stream":true,"messages":[{"role":"user","content":"long answer"}]}""");
        String text = anthropicText(events);
        assertTrue(text.startsWith("LINE-001 "), text);
        assertTrue(text.contains("\nLINE-150 "), text);
        assertEquals(150, text.lines().count());
        assertEquals(3, events.stream().filter(e -> e.name().equals("content_block_delta")).count());
    }

    // ------------------------------------------------------------------------------------------------ Responses

    @Test
    void responsesStreamsATextReply() throws Exception {
        List<Event> events = sse("/v1/responses", """
                {"model":"fake-model","stream":true,"instructions":"be nice",
                 "input":[{"type":"message","role":"developer","content":[{"type":"input_text","text":"rules"}]},
                   {"type":"message","role":"user","content":[{"type":"input_text",
                     "text":"<environment_context>\\n  <cwd>/x</cwd>\\n</environment_context>"}]},
                   {"type":"message","role":"user","content":[{"type":"input_text","text":"say hello"}]}]}""");

        assertEquals("response.created", events.get(0).name());
        Event last = events.get(events.size() - 1);
        assertEquals("response.completed", last.name());
        assertEquals("completed", last.data().path("response").path("status").asText());
        String text = events.stream().filter(e -> e.name().equals("response.output_text.delta"))
                .map(e -> e.data().path("delta").asText()).collect(Collectors.joining());
        assertEquals("HELLO-42", text);
        assertEquals("HELLO-42", eventData(events, "response.output_text.done").path("text").asText());
    }

    @Test
    void responsesToolRoundTripCarriesTheNamespace() throws Exception {
        String tools = """
                "tools":[{"type":"function","name":"shell","parameters":{"type":"object"}},
                         {"type":"namespace","name":"mcp__echo","description":"echo server",
                          "tools":[{"type":"function","name":"echo_marker","parameters":{"type":"object"}}]}]""";
        List<Event> first = sse("/v1/responses", """
                {"model":"fake-model","stream":true,%s,
                 "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"use the tool"}]}]}"""
                .formatted(tools));

        JsonNode call = eventData(first, "response.output_item.done").path("item");
        assertEquals("function_call", call.path("type").asText());
        assertEquals("echo_marker", call.path("name").asText());
        assertEquals("mcp__echo", call.path("namespace").asText());
        assertEquals(Map.of("text", "X"), JSON.readValue(call.path("arguments").asText(), Map.class));
        assertEquals("response.completed", first.get(first.size() - 1).name());

        String callId = call.path("call_id").asText();
        List<Event> second = sse("/v1/responses", """
                {"model":"fake-model","stream":true,%s,
                 "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"use the tool"}]},
                   {"type":"function_call","call_id":"%s","name":"echo_marker","namespace":"mcp__echo",
                    "arguments":"{\\"text\\":\\"X\\"}"},
                   {"type":"function_call_output","call_id":"%s","output":[
                     {"type":"input_text","text":"Wall time: 0.0 seconds\\nOutput:"},
                     {"type":"input_text","text":"echo_marker wrote: X"}]}]}"""
                .formatted(tools, callId, callId));

        JsonNode msg = eventData(second, "response.output_item.done").path("item");
        assertEquals("message", msg.path("type").asText());
        assertEquals("DONE echo_marker wrote: X", msg.path("content").path(0).path("text").asText());
    }

    @Test
    void responsesStructuredTitleAndNonStreaming() throws Exception {
        JsonNode resp = post("/v1/responses", """
                {"model":"fake-model","input":"use the tool and name it",
                 "text":{"format":{"type":"json_schema","name":"title","strict":true,"schema":{"type":"object",
                   "properties":{"title":{"type":"string"}},"required":["title"],"additionalProperties":false}}}}""");
        assertEquals("completed", resp.path("status").asText());
        String text = resp.path("output").path(0).path("content").path(0).path("text").asText();
        assertEquals("Fake task", JSON.readTree(text).path("title").asText());
    }

    // ------------------------------------------------------------------------------------------------ Gemini

    @Test
    void geminiStreamsATextReply() throws Exception {
        List<JsonNode> chunks = dataEvents("/v1beta/models/gemini-x:streamGenerateContent?alt=sse", """
                {"contents":[
                   {"role":"user","parts":[{"text":"<session_context>\\nThis is the Gemini CLI.\\n</session_context>"}]},
                   {"role":"user","parts":[{"text":"please say hello"}]}],
                 "systemInstruction":{"parts":[{"text":"be nice"}]},
                 "tools":[{"functionDeclarations":[{"name":"read_file"}]}]}""");

        assertEquals("HELLO-42", geminiText(chunks));
        JsonNode last = chunks.getLast().path("candidates").path(0);
        assertEquals("STOP", last.path("finishReason").asText());
        assertEquals("model", last.path("content").path("role").asText());
        assertTrue(chunks.getLast().path("usageMetadata").path("totalTokenCount").asInt() > 0);
        assertEquals("please say hello", server.requests().get(0).lastUserText());
    }

    @Test
    void geminiToolRoundTripStripsTheUntrustedContextWrapper() throws Exception {
        String tools = """
                "tools":[{"functionDeclarations":[{"name":"run_shell_command"},
                   {"name":"mcp_echo_echo_marker","parametersJsonSchema":{"type":"object"}}]}]""";
        List<JsonNode> first = dataEvents("/v1beta/models/gemini-x:streamGenerateContent?alt=sse", """
                {%s,"contents":[{"role":"user","parts":[{"text":"use the tool"}]}]}""".formatted(tools));

        JsonNode call = first.getLast().path("candidates").path(0).path("content").path("parts").path(0)
                .path("functionCall");
        assertEquals("mcp_echo_echo_marker", call.path("name").asText());
        assertEquals(Map.of("text", "X"), JSON.convertValue(call.path("args"), Map.class));
        assertEquals("STOP", first.getLast().path("candidates").path(0).path("finishReason").asText());

        List<JsonNode> second = dataEvents("/v1beta/models/gemini-x:streamGenerateContent?alt=sse", """
                {%s,"contents":[{"role":"user","parts":[{"text":"use the tool"}]},
                   {"role":"model","parts":[{"functionCall":{"name":"mcp_echo_echo_marker","args":{"text":"X"}}}]},
                   {"role":"user","parts":[{"functionResponse":{"name":"mcp_echo_echo_marker","response":{
                     "output":"<untrusted_context>\\necho_marker wrote: X\\n</untrusted_context>"}}}]}]}"""
                .formatted(tools));

        assertEquals("DONE echo_marker wrote: X", geminiText(second));
        assertEquals(List.of("echo_marker wrote: X"), server.requests().get(1).toolResults());
        assertEquals("use the tool", server.requests().get(1).lastUserText());
    }

    @Test
    void geminiRouterRequestIsAnsweredFromItsSchemaAndTokensAreCounted() throws Exception {
        // the router's text matches the tool rule, but it must get JSON, never a tool call
        JsonNode routed = post("/v1beta/models/gemini-lite:generateContent", """
                {"contents":[{"role":"user","parts":[{"text":"use the tool"}]}],
                 "tools":[{"functionDeclarations":[{"name":"mcp_echo_echo_marker"}]}],
                 "generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"OBJECT",
                   "properties":{"complexity_reasoning":{"type":"STRING"},"complexity_score":{"type":"INTEGER"}},
                   "required":["complexity_reasoning","complexity_score"]}}}""");
        JsonNode candidate = routed.path("candidates").path(0);
        assertEquals("STOP", candidate.path("finishReason").asText());
        JsonNode answer = JSON.readTree(candidate.path("content").path("parts").path(0).path("text").asText());
        assertEquals("Fake task", answer.path("complexity_reasoning").asText());
        assertEquals(0, answer.path("complexity_score").asInt(-1));
        assertTrue(server.requests().get(0).isStructured());

        // the summary of an old session, at start, quotes its prompts: answered with the title, at once
        JsonNode summary = post("/v1beta/models/gemini-lite:generateContent", """
                {"contents":[{"role":"user","parts":[{"text":"Summarize the user's primary intent or goal in this \
                conversation in ONE sentence (max 80 characters).\\n\\nConversation:\\nUser: use the tool"}]}]}""");
        assertEquals("Fake task", summary.path("candidates").path(0).path("content").path("parts").path(0)
                .path("text").asText());

        JsonNode count = post("/v1beta/models/gemini-x:countTokens", """
                {"contents":[{"role":"user","parts":[{"text":"how many tokens is this"}]}]}""");
        assertTrue(count.path("totalTokens").asInt() > 0);
    }

    // ------------------------------------------------------------------------------------------------ Chat Completions

    @Test
    void chatCompletionsStreamsATextReplyWithUsage() throws Exception {
        List<JsonNode> chunks = dataEvents("/v1/chat/completions", """
                {"model":"fake-model","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"system","content":"be nice"},
                   {"role":"user","content":[{"type":"text","text":"This is the Qwen Code. We are setting up"}]},
                   {"role":"assistant","content":"Got it. Thanks for the context!"},
                   {"role":"user","content":[{"type":"text","text":"please say hello"}]}]}""");

        assertEquals("[DONE]", chunks.getLast().asText());
        List<JsonNode> json = chunks.subList(0, chunks.size() - 1);
        assertTrue(json.stream().allMatch(c -> c.path("object").asText().equals("chat.completion.chunk")));
        assertEquals("assistant", json.getFirst().path("choices").path(0).path("delta").path("role").asText());
        assertEquals("HELLO-42", chatText(json));
        assertEquals(List.of("stop"), finishReasons(json));
        JsonNode usage = json.getLast();
        assertTrue(usage.path("choices").isEmpty());
        assertTrue(usage.path("usage").path("total_tokens").asInt() > 0);
        assertEquals("please say hello", server.requests().get(0).lastUserText());
    }

    @Test
    void chatCompletionsToolRoundTrip() throws Exception {
        String tools = """
                "tools":[{"type":"function","function":{"name":"bash","parameters":{"type":"object"}}},
                         {"type":"function","function":{"name":"echo_echo_marker","parameters":{"type":"object"}}}]""";
        List<JsonNode> first = dataEvents("/v1/chat/completions", """
                {"model":"fake-model","stream":true,%s,
                 "messages":[{"role":"user","content":"use the tool"}]}""".formatted(tools));

        List<JsonNode> json = first.subList(0, first.size() - 1);
        JsonNode opening = json.stream().map(c -> c.path("choices").path(0).path("delta").path("tool_calls").path(0))
                .filter(t -> t.has("id")).findFirst().orElseThrow();
        assertEquals("function", opening.path("type").asText());
        assertEquals("echo_echo_marker", opening.path("function").path("name").asText());
        String arguments = json.stream()
                .map(c -> c.path("choices").path(0).path("delta").path("tool_calls").path(0).path("function")
                        .path("arguments").asText(""))
                .collect(Collectors.joining());
        assertEquals(Map.of("text", "X"), JSON.readValue(arguments, Map.class));
        assertEquals(List.of("tool_calls"), finishReasons(json));

        String callId = opening.path("id").asText();
        List<JsonNode> second = dataEvents("/v1/chat/completions", """
                {"model":"fake-model","stream":true,%s,
                 "messages":[{"role":"user","content":"use the tool"},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"%s","type":"function",
                     "function":{"name":"echo_echo_marker","arguments":"{\\"text\\":\\"X\\"}"}}]},
                   {"role":"tool","tool_call_id":"%s","content":[{"type":"text","text":"echo_marker wrote: X"}]}]}"""
                .formatted(tools, callId, callId));

        assertEquals("DONE echo_marker wrote: X", chatText(second.subList(0, second.size() - 1)));
        assertEquals(List.of("echo_marker wrote: X"), server.requests().get(1).toolResults());
    }

    @Test
    void chatCompletionsSideRequestsDoNotTakeAScenarioStep() throws Exception {
        String echoTool = """
                {"type":"function","function":{"name":"mcp__echo__echo_marker","parameters":{"type":"object"}}}""";
        // opencode's title request quotes the prompt, without tools
        JsonNode title = post("/v1/chat/completions", """
                {"model":"fake-model","messages":[
                   {"role":"system","content":"You are a title generator. You output ONLY a thread title."},
                   {"role":"user","content":"Generate a title for this conversation:\\n"},
                   {"role":"user","content":"use the tool"}]}""");
        assertEquals("Fake task", title.path("choices").path(0).path("message").path("content").asText());
        assertEquals("stop", title.path("choices").path(0).path("finish_reason").asText());

        // Qwen's memory extraction comes after a turn, with tools: a plain text, no tool call
        List<JsonNode> memory = dataEvents("/v1/chat/completions", """
                {"model":"fake-model","stream":true,"tools":[%s],
                 "messages":[{"role":"system","content":"You are now acting as the managed memory extraction subagent"},
                   {"role":"user","content":[{"type":"text","text":"use the tool"}]},
                   {"role":"assistant","content":"DONE"},
                   {"role":"user","content":[{"type":"text","text":"Managed memory directory: `/m`\\n\\nScan … and update durable managed memory."}]}]}"""
                .formatted(echoTool));
        List<JsonNode> memoryJson = memory.subList(0, memory.size() - 1);
        assertFalse(chatText(memoryJson).isBlank());
        assertEquals(List.of("stop"), finishReasons(memoryJson));
        assertTrue(memoryJson.stream().noneMatch(c -> c.path("choices").path(0).path("delta").has("tool_calls")));

        // a json_schema request gets JSON from the schema, also without streaming
        JsonNode structured = post("/v1/chat/completions", """
                {"model":"fake-model","tools":[%s],"messages":[{"role":"user","content":"use the tool"}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"t","schema":{"type":"object",
                   "properties":{"title":{"type":"string"}}}}}}""".formatted(echoTool));
        String content = structured.path("choices").path(0).path("message").path("content").asText();
        assertEquals("Fake task", JSON.readTree(content).path("title").asText());
        assertEquals("chat.completion", structured.path("object").asText());
    }

    // ------------------------------------------------------------------------------------------------ misc

    @Test
    void probesModelsAndUnknownPaths() throws Exception {
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(uri("/v1/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
        assertFalse(JSON.readTree(models.body()).path("data").isEmpty());
        assertFalse(JSON.readTree(models.body()).path("models").isEmpty(), "the Gemini API's shape of the list");

        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri("/")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(uri("/v1/nothing-here"))
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());

        List<FakeModelServer.RecordedRequest> recorded = server.requests();
        assertEquals(3, recorded.size());
        assertEquals("/v1/nothing-here", recorded.get(2).path());
        assertEquals("not json", recorded.get(2).body());
        assertNotNull(server.awaitRequest(r -> r.path().equals("/v1/models"), Duration.ofSeconds(1)));
    }

    @Test
    void scenarioFallsBackToTextWhenTheToolIsNotOffered() {
        Scenario s = Scenario.builder().when("x").callTool("echo_marker", Map.of()).thenReply("R {tool_result}")
                .build();
        Scenario.Decision d = s.decide("x", 0, null, List.of());
        assertEquals(new Scenario.Reply("R ", Duration.ZERO, 0, Duration.ZERO), d);
        Scenario.Decision call = s.decide("x", 0, null,
                List.of(new FakeModelServer.ToolRef("mcp__echo__echo_marker", null, "mcp__echo__echo_marker")));
        assertTrue(call instanceof Scenario.CallTool);
        assertEquals("FAKE-DEFAULT", ((Scenario.Reply) s.decide("y", 0, null, List.of())).text());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** POSTs and reads the SSE stream line by line as it arrives. */
    private List<Event> sse(String path, String body) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(uri(path))
                        .header("content-type", "application/json").header("accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        String[] name = {null};
        try (var lines = r.body()) {
            lines.forEach(line -> {
                if (line.startsWith("event: ")) {
                    name[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    try {
                        JsonNode data = JSON.readTree(line.substring(6));
                        assertEquals(name[0], data.path("type").asText(), "event name = data.type");
                        events.add(new Event(name[0], data));
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }
            });
        }
        assertFalse(events.isEmpty());
        return events;
    }

    /**
     * POSTs and reads an SSE stream of unnamed {@code data:} events (Gemini, Chat Completions): the JSON payloads in
     * order, {@code [DONE]} as a text node.
     */
    private List<JsonNode> dataEvents(String path, String body) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(uri(path))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<JsonNode> data = new ArrayList<>();
        try (var lines = r.body()) {
            lines.forEach(line -> {
                assertFalse(line.startsWith("event:"), "no named events in this API: " + line);
                if (!line.startsWith("data: ")) return;
                String payload = line.substring(6);
                try {
                    data.add(payload.equals("[DONE]") ? JSON.getNodeFactory().textNode(payload)
                            : JSON.readTree(payload));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
        assertFalse(data.isEmpty());
        return data;
    }

    private static String geminiText(List<JsonNode> chunks) {
        return chunks.stream().flatMap(c -> c.path("candidates").path(0).path("content").path("parts")
                .valueStream()).map(p -> p.path("text").asText("")).collect(Collectors.joining());
    }

    private static String chatText(List<JsonNode> chunks) {
        return chunks.stream().map(c -> c.path("choices").path(0).path("delta").path("content").asText(""))
                .collect(Collectors.joining());
    }

    private static List<String> finishReasons(List<JsonNode> chunks) {
        return chunks.stream().map(c -> c.path("choices").path(0).path("finish_reason"))
                .filter(f -> f.isTextual()).map(JsonNode::asText).toList();
    }

    private static JsonNode eventData(List<Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + name + " event")).data();
    }

    private static String anthropicText(List<Event> events) {
        return events.stream().filter(e -> e.name().equals("content_block_delta"))
                .map(e -> e.data().path("delta").path("text").asText("")).collect(Collectors.joining());
    }
}
