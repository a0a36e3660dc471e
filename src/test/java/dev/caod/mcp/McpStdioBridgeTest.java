package dev.caod.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.caod.cli.CaodCli;
import dev.caod.cli.ExitCode;

/**
 * {@code caod mcp}'s relay against a stand-in for caod's MCP endpoint: lines in, POSTs out, answers back as lines,
 * failures as JSON-RPC errors that say what to do. Every wait has a deadline; outcomes are asserted, not timings.
 */
class McpStdioBridgeTest {

    private static final String TOKEN = "bridge-t0ken";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for a loaded machine, short enough that a hang fails the test rather than the build. */
    private static final long DEADLINE_SECONDS = 10;

    private Endpoint endpoint;
    private PipedOutputStream stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringWriter stderr = new StringWriter();
    private Thread bridgeThread;
    private final List<Throwable> bridgeFailures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        endpoint = new Endpoint();
    }

    @AfterEach
    void stop() throws Exception {
        endpoint.release.countDown();
        if (stdin != null) {
            stdin.close();
        }
        if (bridgeThread != null) {
            bridgeThread.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
            assertFalse(bridgeThread.isAlive(), "the bridge did not end after stdin closed");
        }
        endpoint.close();
        assertEquals(List.of(), bridgeFailures);
        assertFalse(stderr.toString().contains(TOKEN), "the token leaked into the log:\n" + stderr);
    }

    @Test
    void aRequestGetsItsAnswerAsOneLine() throws Exception {
        bridge(endpoint.url(), TOKEN);
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        JsonNode answer = JSON.readTree(line());
        assertEquals(1, answer.path("id").asInt());
        assertEquals("tools/list", answer.path("result").path("method").asText());

        send("{\"jsonrpc\":\"2.0\",\"id\":\"ünï ✓\",\"method\":\"ping\"}");
        answer = JSON.readTree(line());
        assertEquals("ünï ✓", answer.path("id").asText());
        assertEquals("ping", answer.path("result").path("method").asText());
        assertEquals(List.of(), endpoint.problems);
    }

    @Test
    void aNotificationIsDeliveredAndAnswersNothing() throws Exception {
        bridge(endpoint.url(), TOKEN);
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}");
        endOfInput();
        assertTrue(endpoint.methods.contains("notifications/initialized"), endpoint.methods.toString());
        List<String> lines = new ArrayList<>();
        stdout.drainTo(lines);
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(7, JSON.readTree(lines.get(0)).path("id").asInt());
    }

    @Test
    void aBadLineIsAParseErrorAndTheBridgeGoesOn() throws Exception {
        bridge(endpoint.url(), TOKEN);
        send("{\"jsonrpc\":\"2.0\",\"id\":1,");
        JsonNode error = JSON.readTree(line());
        assertTrue(error.get("id").isNull(), error.toString());
        assertEquals(McpStdioBridge.PARSE_ERROR, error.path("error").path("code").asInt());

        send("[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]");
        error = JSON.readTree(line());
        assertTrue(error.get("id").isNull(), error.toString());
        assertEquals(McpStdioBridge.INVALID_REQUEST, error.path("error").path("code").asInt());

        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
        assertEquals(3, JSON.readTree(line()).path("id").asInt());
    }

    @Test
    void aWrongTokenIsAnErrorNamingTheCredential() throws Exception {
        bridge(endpoint.url(), "not-the-token");
        send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}");
        JsonNode error = JSON.readTree(line());
        assertEquals(4, error.path("id").asInt());
        assertEquals(McpStdioBridge.REFUSED, error.path("error").path("code").asInt());
        String message = error.path("error").path("message").asText();
        assertTrue(message.contains("refused the credential") && message.contains("CAOD_MCP_TOKEN"), message);
        assertFalse(message.contains("not-the-token"), message);
    }

    @Test
    void aDownDaemonIsAnErrorNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI down = URI.create("http://127.0.0.1:" + port + "/mcp");
        bridge(down, TOKEN);
        send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\"}");
        JsonNode error = JSON.readTree(line());
        assertEquals(5, error.path("id").asInt());
        assertEquals(McpStdioBridge.UNREACHABLE, error.path("error").path("code").asInt());
        String message = error.path("error").path("message").asText();
        assertTrue(message.startsWith("caod is not reachable at " + down) && message.contains("caod serve"),
                message);
    }

    @Test
    void serverFailuresAndNonJsonAnswersAreErrors() throws Exception {
        bridge(endpoint.url(), TOKEN);
        send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"boom\"}");
        JsonNode error = JSON.readTree(line());
        assertEquals(McpStdioBridge.INTERNAL_ERROR, error.path("error").path("code").asInt());
        String message = error.path("error").path("message").asText();
        assertTrue(message.contains("HTTP 500") && message.contains("it broke"), message);

        send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"garbage\"}");
        error = JSON.readTree(line());
        assertEquals(7, error.path("id").asInt());
        message = error.path("error").path("message").asText();
        assertTrue(message.contains("not a JSON-RPC message") && message.contains("<html>"), message);
    }

    @Test
    void anEventStreamAnswerIsRelayedMessageByMessage() throws Exception {
        bridge(endpoint.url(), TOKEN);
        send("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"sse\"}");
        assertEquals("notifications/progress", JSON.readTree(line()).path("method").asText());
        JsonNode answer = JSON.readTree(line());
        assertEquals(8, answer.path("id").asInt());
        assertEquals("sse", answer.path("result").path("method").asText());
    }

    @Test
    void aSlowCallDoesNotHoldBackTheOthers() throws Exception {
        bridge(endpoint.url(), TOKEN);
        // held until the test has read the ping's answer, which therefore must come first
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"slow\",\"params\":{\"holdMillis\":" + 60_000 + "}}");
        endpoint.awaitReceived("slow");
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");
        JsonNode first = JSON.readTree(line());
        assertEquals(2, first.path("id").asInt(), first.toString());
        endpoint.release.countDown();
        JsonNode second = JSON.readTree(line());
        assertEquals(1, second.path("id").asInt(), second.toString());
        assertEquals("slow", second.path("result").path("method").asText());
    }

    @Test
    void theEndOfInputWaitsForCallsInFlight() throws Exception {
        bridge(endpoint.url(), TOKEN);
        send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"slow\",\"params\":{\"holdMillis\":1000}}");
        endpoint.awaitReceived("slow");
        endOfInput();
        // the bridge has returned: the answer must already be out
        String answer = stdout.poll();
        assertNotNull(answer, "the bridge ended before the call in flight was answered");
        assertEquals(9, JSON.readTree(answer).path("id").asInt());
    }

    @Test
    void theCommandNeedsAUrlAndAToken() {
        StringWriter err = new StringWriter();
        int code = CaodCli.execute(new PrintWriter(new ByteArrayOutputStream(), true), new PrintWriter(err, true),
                "mcp", "--url", " ");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(err.toString().contains("CAOD_MCP_URL"), err.toString());

        err = new StringWriter();
        code = CaodCli.execute(new PrintWriter(new ByteArrayOutputStream(), true), new PrintWriter(err, true),
                "mcp", "--url", endpoint.url().toString(), "--token-env", "CAOD_TEST_NO_SUCH_VARIABLE_9F3");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(err.toString().contains("$CAOD_TEST_NO_SUCH_VARIABLE_9F3 is not set"), err.toString());
    }

    // --- harness

    private void bridge(URI url, String token) throws IOException {
        PipedInputStream in = new PipedInputStream(64 * 1024);
        stdin = new PipedOutputStream(in);
        McpStdioBridge bridge = new McpStdioBridge(url, token, in, new LineCollector(stdout),
                new PrintWriter(stderr, true));
        bridgeThread = Thread.ofPlatform().name("bridge").start(() -> {
            try {
                bridge.run();
            } catch (Throwable e) {
                bridgeFailures.add(e);
            }
        });
    }

    private void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Closes stdin and waits until the bridge has ended. */
    private void endOfInput() throws Exception {
        stdin.close();
        bridgeThread.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        assertFalse(bridgeThread.isAlive(), "the bridge did not end after stdin closed");
    }

    private String line() throws InterruptedException {
        String line = stdout.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(line, "no line on stdout within " + DEADLINE_SECONDS + " s; stderr:\n" + stderr);
        return line;
    }

    /** The bridge's stdout, cut into lines. */
    private static final class LineCollector extends OutputStream {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineCollector(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            } else {
                pending.write(b);
            }
        }
    }

    /**
     * Stands in for caod's {@code POST /mcp}: checks the token and headers, answers each request with its method (as
     * pretty-printed JSON, which the bridge must put on one line), 202 for notifications. {@code slow} holds its
     * answer for {@code params.holdMillis} or until {@link #release}; {@code sse} answers as an event stream,
     * {@code boom} with a 500, {@code garbage} with HTML.
     */
    private static final class Endpoint implements AutoCloseable {

        final List<String> methods = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final HttpServer server;

        Endpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // concurrent, like caod's
            server.createContext("/mcp", this::handle);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp");
        }

        void awaitReceived(String method) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
            while (true) {
                String next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(next, "caod's stand-in never received " + method);
                if (next.equals(method)) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    send(ex, 401, "application/json", "{\"error\":\"missing or unknown terminal credential\"}");
                    return;
                }
                String accept = String.valueOf(ex.getRequestHeaders().getFirst("Accept"));
                if (!accept.contains("application/json") || !accept.contains("text/event-stream")) {
                    problems.add("bad Accept: " + accept);
                }
                String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
                if (!type.startsWith("application/json")) {
                    problems.add("bad Content-Type: " + type);
                }
                JsonNode request = JSON.readTree(ex.getRequestBody());
                String method = request.path("method").asText();
                methods.add(method);
                received.add(method);
                if (!request.has("id")) {
                    ex.sendResponseHeaders(202, -1);
                    return;
                }
                ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
                answer.set("id", request.get("id"));
                answer.putObject("result").put("method", method);
                switch (method) {
                    case "slow" -> {
                        release.await(request.path("params").path("holdMillis").asLong(), TimeUnit.MILLISECONDS);
                        send(ex, 200, "application/json", answer.toPrettyString());
                    }
                    case "sse" -> send(ex, 200, "text/event-stream",
                            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                                    + "\"params\":{\"progress\":1}}\n\nevent: message\ndata: " + answer + "\n\n");
                    case "boom" -> send(ex, 500, "application/json", "{\"error\":\"it broke\"}");
                    case "garbage" -> send(ex, 200, "text/html", "<html>proxy says hi</html>");
                    default -> send(ex, 200, "application/json", answer.toPrettyString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
}
