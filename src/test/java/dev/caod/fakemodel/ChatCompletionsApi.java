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

/**
 * The OpenAI Chat Completions API of {@link FakeModelServer} (what Qwen Code and opencode speak):
 * {@code POST /v1/chat/completions}, SSE {@code chat.completion.chunk}s ending with {@code data: [DONE]} when
 * {@code stream} is true, one {@code chat.completion} JSON otherwise. Tool calls go out as
 * {@code delta.tool_calls}, their results come back as {@code role: tool} messages.
 */
final class ChatCompletionsApi {

    private ChatCompletionsApi() {
    }

    /** Fills {@code c} from {@code messages} (user text parts, {@code role: tool} results) and {@code tools}. */
    static void parse(FakeModelServer.Conversation c, JsonNode body) {
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText();
            if ("tool".equals(role)) {
                c.toolResults.add(FakeModelServer.Conversation.resultText(m.path("content")));
            } else if ("user".equals(role)) {
                String t = userText(m.path("content"));
                if (!t.isBlank()) c.userText(t);
            }
        }
        for (JsonNode t : body.path("tools")) {
            String name = t.path("function").path("name").asText("");
            if (!name.isEmpty()) c.tools.add(new FakeModelServer.ToolRef(name, null, name));
        }
    }

    private static String userText(JsonNode content) {
        if (content.isTextual()) return FakeModelServer.Conversation.cleanUserText(content.asText());
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content) {
            String t = FakeModelServer.Conversation.cleanUserText(part.path("text").asText(""));
            if (!t.isBlank()) texts.add(t);
        }
        return String.join("\n", texts);
    }

    /** All system and user text of a request, to recognise the CLIs' side requests. */
    private static String allPromptText(JsonNode body) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText();
            if (!"system".equals(role) && !"user".equals(role)) continue;
            JsonNode content = m.path("content");
            if (content.isTextual()) sb.append(content.asText()).append('\n');
            for (JsonNode part : content) sb.append(part.path("text").asText("")).append('\n');
        }
        return sb.toString();
    }

    /**
     * The answer to a side request the CLI sends besides the turn, or null for a turn. Side requests quote the
     * user's prompt, so the scenario would answer them with its next step (a tool call, a delayed text) and the
     * CLI would act on it: they get a harmless immediate text instead.
     * <ul>
     *   <li>opencode's session title request (a "title generator" system prompt, no tools): the scenario's
     *       structured title;</li>
     *   <li>Qwen Code's background memory extraction after each turn ("Managed memory directory"): a short text
     *       without tool calls, which Qwen takes as "nothing to remember".</li>
     * </ul>
     */
    static String sideReply(FakeModelServer server, JsonNode body) {
        String prompt = allPromptText(body);
        if (prompt.contains("Managed memory directory")) return "No durable memory to update.";
        if (body.path("tools").isEmpty() && prompt.contains("title generator")) {
            return server.scenario().structuredTitle();
        }
        return null;
    }

    static void handle(FakeModelServer server, HttpExchange ex, FakeModelServer.RecordedRequest rr)
            throws IOException, InterruptedException {
        JsonNode body = rr.json();
        FakeModelServer.Conversation conv = FakeModelServer.Conversation.of(rr.path(), body);
        String side = FakeModelServer.structuredSchema(body) == null ? sideReply(server, body) : null;
        Scenario.Decision d;
        if (side != null) {
            d = new Scenario.Reply(side, Duration.ZERO, 0, Duration.ZERO);
            server.logDecision(rr, conv, "side request: " + FakeModelServer.describe(d));
        } else {
            d = server.decide(rr, conv);
        }
        String model = body.path("model").asText("fake-model");
        String id = server.nextId("chatcmpl-fake-");
        String callId = server.nextId("call_fake_");
        int promptTokens = Math.max(1, rr.body().length() / 4);
        String args = d instanceof Scenario.CallTool ct ? JSON.writeValueAsString(ct.args()) : null;
        int completionTokens = Math.max(1, FakeModelServer.tokens(args != null ? args
                : ((Scenario.Reply) d).text()));
        String finishReason = args != null ? "tool_calls" : "stop";

        if (!body.path("stream").asBoolean(false)) {
            FakeModelServer.sleep(d.delay());
            ObjectNode resp = envelope(id, model, "chat.completion");
            ObjectNode choice = resp.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (d instanceof Scenario.CallTool ct) {
                message.putNull("content");
                message.putArray("tool_calls").add(toolCall(callId, ct.tool().fullName(), args));
            } else {
                message.put("content", ((Scenario.Reply) d).text());
            }
            choice.put("finish_reason", finishReason);
            resp.set("usage", usage(promptTokens, completionTokens));
            FakeModelServer.sendJson(ex, 200, resp);
            return;
        }

        OutputStream os = FakeModelServer.startSse(ex);
        send(os, id, model, NF.objectNode().put("role", "assistant"), null);
        FakeModelServer.sleep(d.delay());
        if (d instanceof Scenario.CallTool ct) {
            // name and id first, then the arguments in two pieces, like the real API
            ArrayNode first = NF.arrayNode();
            first.add(toolCall(callId, ct.tool().fullName(), "").put("index", 0));
            send(os, id, model, deltaWithToolCalls(first), null);
            int half = args.length() / 2;
            for (String piece : List.of(args.substring(0, half), args.substring(half))) {
                ArrayNode more = NF.arrayNode();
                more.addObject().put("index", 0).putObject("function").put("arguments", piece);
                send(os, id, model, deltaWithToolCalls(more), null);
            }
        } else {
            Scenario.Reply r = (Scenario.Reply) d;
            List<String> chunks = FakeModelServer.chunks(r.text(), r.linesPerChunk());
            for (int i = 0; i < chunks.size(); i++) {
                if (i > 0) FakeModelServer.sleep(r.chunkPause());
                send(os, id, model, NF.objectNode().put("content", chunks.get(i)), null);
            }
        }
        send(os, id, model, NF.objectNode(), finishReason);
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode last = envelope(id, model, "chat.completion.chunk");
            last.putArray("choices");
            last.set("usage", usage(promptTokens, completionTokens));
            FakeModelServer.sseData(os, last.toString());
        }
        FakeModelServer.sseData(os, "[DONE]");
    }

    private static ObjectNode deltaWithToolCalls(ArrayNode calls) {
        ObjectNode delta = NF.objectNode();
        delta.set("tool_calls", calls);
        return delta;
    }

    private static ObjectNode toolCall(String callId, String name, String arguments) {
        ObjectNode call = NF.objectNode();
        call.put("id", callId);
        call.put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return call;
    }

    private static void send(OutputStream os, String id, String model, ObjectNode delta, String finishReason)
            throws IOException {
        ObjectNode chunk = envelope(id, model, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        FakeModelServer.sseData(os, chunk.toString());
    }

    private static ObjectNode envelope(String id, String model, String object) {
        ObjectNode o = NF.objectNode();
        o.put("id", id);
        o.put("object", object);
        o.put("created", System.currentTimeMillis() / 1000);
        o.put("model", model);
        return o;
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = NF.objectNode();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }
}
