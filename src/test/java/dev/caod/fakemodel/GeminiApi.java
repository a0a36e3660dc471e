package dev.caod.fakemodel;

import static dev.caod.fakemodel.FakeModelServer.JSON;
import static dev.caod.fakemodel.FakeModelServer.NF;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API of {@link FakeModelServer} (what Gemini CLI speaks with {@code GOOGLE_GEMINI_BASE_URL}):
 * <ul>
 *   <li>{@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse}: SSE, one {@code data:
 *       GenerateContentResponse} per chunk, the last one with {@code finishReason: STOP} and usage;</li>
 *   <li>{@code POST …:generateContent}: the same response as one JSON object;</li>
 *   <li>{@code POST …:countTokens}: a rough count.</li>
 * </ul>
 * Gemini CLI's router/classifier request before each turn (and its other checks) carry a JSON schema in
 * {@code generationConfig}; {@link FakeModelServer#decide} answers those from the schema. Its session summaries are
 * answered with the scenario's title ({@link #isSessionSummary}).
 */
final class GeminiApi {

    private static final Pattern MODEL = Pattern.compile("/models/([^/:]+):");
    /** Gemini CLI wraps MCP tool output so the model treats it as data; {tool_result} is the plain text. */
    private static final Pattern UNTRUSTED = Pattern.compile(
            "(?s)^\\s*<untrusted_context>\\n?(.*?)\\n?</untrusted_context>\\s*$");

    private GeminiApi() {
    }

    static boolean handles(String path) {
        return isGenerate(path) || path.endsWith(":countTokens");
    }

    /** A model turn ({@code generateContent} or {@code streamGenerateContent}). */
    static boolean isGenerate(String path) {
        return path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent");
    }

    /** Fills {@code c} from {@code contents} (role user/model, parts text / functionCall / functionResponse). */
    static void parse(FakeModelServer.Conversation c, JsonNode body) {
        for (JsonNode content : body.path("contents")) {
            if (!"user".equals(content.path("role").asText("user"))) continue;
            List<String> texts = new ArrayList<>();
            List<String> results = new ArrayList<>();
            for (JsonNode part : content.path("parts")) {
                if (part.has("functionResponse")) {
                    results.add(resultText(part.path("functionResponse").path("response")));
                } else if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                    String t = FakeModelServer.Conversation.cleanUserText(part.path("text").asText());
                    if (!t.isBlank()) texts.add(t);
                }
            }
            if (!results.isEmpty()) c.toolResults.addAll(results);
            else if (!texts.isEmpty()) c.userText(String.join("\n", texts));
        }
        for (JsonNode tool : body.path("tools")) {
            for (JsonNode f : tool.path("functionDeclarations")) {
                String name = f.path("name").asText("");
                if (!name.isEmpty()) c.tools.add(new FakeModelServer.ToolRef(name, null, name));
            }
        }
    }

    /** {@code functionResponse.response}: {@code {"output": "<untrusted_context>…"}}, or an error object. */
    static String resultText(JsonNode response) {
        JsonNode output = response.has("output") ? response.path("output") : response.path("content");
        String text = output.isMissingNode() ? response.toString()
                : FakeModelServer.Conversation.resultText(output);
        Matcher m = UNTRUSTED.matcher(text);
        return m.matches() ? m.group(1) : text;
    }

    /**
     * Gemini CLI summarises the previous sessions of a project at start ("Summarize the user's primary intent …",
     * no schema, no tools). The prompt quotes the old conversation, so the scenario would match one of its rules:
     * it gets the scenario's title instead, at once.
     */
    static boolean isSessionSummary(FakeModelServer.Conversation conv) {
        return conv.lastUserText.startsWith("Summarize the user's primary intent");
    }

    static void handle(FakeModelServer server, HttpExchange ex, FakeModelServer.RecordedRequest rr)
            throws IOException, InterruptedException {
        String path = rr.path();
        if (path.endsWith(":countTokens")) {
            FakeModelServer.sendJson(ex, 200, NF.objectNode().put("totalTokens", Math.max(1, rr.body().length() / 4)));
            return;
        }
        Matcher m = MODEL.matcher(path);
        String model = m.find() ? m.group(1) : "fake-model";
        FakeModelServer.Conversation conv = FakeModelServer.Conversation.of(path, rr.json());
        Scenario.Decision d;
        if (isSessionSummary(conv)) {
            d = new Scenario.Reply(server.scenario().structuredTitle(), Duration.ZERO, 0, Duration.ZERO);
            server.logDecision(rr, conv, "side request: " + FakeModelServer.describe(d));
        } else {
            d = server.decide(rr, conv);
        }
        String responseId = server.nextId("fake-gemini-");
        int promptTokens = Math.max(1, rr.body().length() / 4);

        if (path.endsWith(":generateContent")) {
            FakeModelServer.sleep(d.delay());
            ObjectNode resp = chunk(responseId, model, part(d), true);
            resp.set("usageMetadata", usage(promptTokens, outputTokens(d)));
            FakeModelServer.sendJson(ex, 200, resp);
            return;
        }

        OutputStream os = FakeModelServer.startSse(ex);
        FakeModelServer.sleep(d.delay());
        List<ObjectNode> parts = new ArrayList<>();
        if (d instanceof Scenario.Reply r) {
            for (String text : FakeModelServer.chunks(r.text(), r.linesPerChunk())) {
                parts.add(NF.objectNode().put("text", text));
            }
        } else {
            parts.add(part(d));
        }
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) FakeModelServer.sleep(d.chunkPause());
            boolean last = i == parts.size() - 1;
            ObjectNode c = chunk(responseId, model, parts.get(i), last);
            // the CLI reads the usage from the final chunk; a stream without finishReason counts as broken
            if (last) c.set("usageMetadata", usage(promptTokens, outputTokens(d)));
            FakeModelServer.sseData(os, c.toString());
        }
    }

    /** The whole answer as one part: {@code text}, or {@code functionCall {name, args}}. */
    private static ObjectNode part(Scenario.Decision d) {
        if (d instanceof Scenario.CallTool ct) {
            ObjectNode call = NF.objectNode();
            call.put("name", ct.tool().fullName());
            call.set("args", JSON.valueToTree(ct.args()));
            ObjectNode part = NF.objectNode();
            part.set("functionCall", call);
            return part;
        }
        return NF.objectNode().put("text", ((Scenario.Reply) d).text());
    }

    private static ObjectNode chunk(String responseId, String model, ObjectNode part, boolean last) {
        ObjectNode resp = NF.objectNode();
        ArrayNode candidates = resp.putArray("candidates");
        ObjectNode candidate = candidates.addObject();
        ObjectNode content = candidate.putObject("content");
        content.put("role", "model");
        content.putArray("parts").add(part);
        if (last) candidate.put("finishReason", "STOP");
        candidate.put("index", 0);
        resp.put("modelVersion", model);
        resp.put("responseId", responseId);
        return resp;
    }

    private static int outputTokens(Scenario.Decision d) {
        return d instanceof Scenario.Reply r ? Math.max(1, FakeModelServer.tokens(r.text())) : 10;
    }

    private static ObjectNode usage(int prompt, int output) {
        ObjectNode u = NF.objectNode();
        u.put("promptTokenCount", prompt);
        u.put("candidatesTokenCount", output);
        u.put("totalTokenCount", prompt + output);
        return u;
    }
}
