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

/** Drives both APIs of {@link FakeModelServer} over real HTTP, streaming, like the CLIs do. */
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

    // ------------------------------------------------------------------------------------------------ misc

    @Test
    void probesModelsAndUnknownPaths() throws Exception {
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(uri("/v1/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
        assertFalse(JSON.readTree(models.body()).path("data").isEmpty());

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

    private static JsonNode eventData(List<Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + name + " event")).data();
    }

    private static String anthropicText(List<Event> events) {
        return events.stream().filter(e -> e.name().equals("content_block_delta"))
                .map(e -> e.data().path("delta").path("text").asText("")).collect(Collectors.joining());
    }
}
