package dev.caod;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.EnvVar;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.GetFlowRequest;
import dev.caod.api.v1.GetProfileRequest;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.HandoffRequest;
import dev.caod.api.v1.InstallProfileRequest;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.ProfileServiceGrpc;
import dev.caod.api.v1.PutFlowRequest;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SendKeysRequest;
import dev.caod.api.v1.SendMessageRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.cli.DaemonClient;
import dev.caod.store.TerminalEntity;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The bad-input suite: malformed, oversized, hostile or simply wrong requests at every boundary (gRPC over the real
 * socket, the MCP/HTTP port), each refused with the right status and a message that names the problem, and the
 * daemon unaffected afterwards (still serving, nothing stored lost). docs/security.md lists these cases; keep the
 * two in step.
 */
@QuarkusTest
class BadInputTest {

    private static DaemonClient client;

    @TestHTTPResource("/")
    URL http;

    @BeforeAll
    static void connect() {
        client = DaemonClient.forSocket(CaodTestHome.paths().defaultSocket(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static SessionServiceGrpc.SessionServiceBlockingStub sessions() {
        return client.stub(SessionServiceGrpc.newBlockingStub(client.channel()));
    }

    /** One gRPC case: the call must fail with {@code code} and a message mentioning every one of {@code words}. */
    private static DynamicTest grpc(String name, Status.Code code, Supplier<?> call, String... words) {
        return DynamicTest.dynamicTest(name, () -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::get, name);
            assertEquals(code, e.getStatus().getCode(), () -> name + ": " + e.getStatus());
            for (String word : words) {
                assertTrue(String.valueOf(e.getStatus().getDescription()).contains(word),
                        () -> name + ": the message should name `" + word + "`: " + e.getStatus().getDescription());
            }
        });
    }

    private static CreateSessionRequest.Builder session() {
        return CreateSessionRequest.newBuilder().setProfile("agent").setProvider("demo")
                .setWorkingDirectory(CaodTestHome.HOME.toString());
    }

    @TestFactory
    Stream<DynamicTest> grpcRefusesBadRequestsNamingTheProblem() {
        var profiles = client.stub(ProfileServiceGrpc.newBlockingStub(client.channel()));
        var flows = client.stub(FlowServiceGrpc.newBlockingStub(client.channel()));
        var messaging = client.stub(MessagingServiceGrpc.newBlockingStub(client.channel()));
        return Stream.of(
                grpc("unknown profile", Status.Code.NOT_FOUND,
                        () -> sessions().createSession(session().setProfile("nobody_here").build()), "nobody_here"),
                grpc("profile name with path traversal", Status.Code.INVALID_ARGUMENT,
                        () -> profiles.getProfile(GetProfileRequest.newBuilder().setName("../../etc/passwd").build()),
                        "../../etc/passwd"),
                grpc("unknown provider", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().createSession(session().setProvider("evil_cli").build()), "evil_cli"),
                grpc("relative working directory", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().createSession(session().setWorkingDirectory("../..").build()), "../.."),
                grpc("system folder as working directory", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().createSession(session().setWorkingDirectory("/etc").build()), "/etc"),
                grpc("session name with a control character", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().createSession(session().setName("team\u0007").build()), "name"),
                grpc("session name with path traversal", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().createSession(session().setName("../x").build()), "name"),
                grpc("environment variable with a bad name", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().createSession(session().addEnv(EnvVar.newBuilder().setName("A=B;rm")
                                .setValue("x")).build()), "A=B;rm"),
                grpc("unknown terminal id", Status.Code.NOT_FOUND,
                        () -> sessions().getTerminal(GetTerminalRequest.newBuilder().setTerminalId("zzzzzzzz").build()),
                        "zzzzzzzz"),
                grpc("terminal id with path traversal", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().sendInput(SendInputRequest.newBuilder().setTerminalId("../../x").setText("hi")
                                .build()), "../../x"),
                grpc("a key that is not a key", Status.Code.INVALID_ARGUMENT,
                        () -> sessions().sendKeys(SendKeysRequest.newBuilder().setTerminalId("zzzzzzzz")
                                .addKeys("; rm -rf ~").build()), "; rm -rf ~"),
                grpc("message to an unknown terminal", Status.Code.NOT_FOUND,
                        () -> messaging.sendMessage(SendMessageRequest.newBuilder().setReceiverTerminalId("zzzzzzzz")
                                .setBody("hello").build()), "zzzzzzzz"),
                grpc("handoff timeout out of range", Status.Code.INVALID_ARGUMENT,
                        () -> messaging.handoff(HandoffRequest.newBuilder().setSessionId("zzzzzzzz")
                                .setAgentProfile("agent").setMessage("x").setTimeoutSeconds(-5).build()),
                        "timeout_seconds"),
                grpc("flow name with path traversal", Status.Code.INVALID_ARGUMENT,
                        () -> flows.getFlow(GetFlowRequest.newBuilder().setName("../../etc/cron").build()),
                        "../../etc/cron"),
                grpc("flow file with a control character in a field", Status.Code.INVALID_ARGUMENT,
                        () -> flows.putFlow(PutFlowRequest.newBuilder().setName("bell").setContent(
                                "---\nname: bell\nschedule: \"0 9 * * *\"\nagent_profile: agent\nprovider: demo\n"
                                        + "working_directory: \"/srv/x\\e[2J\"\n---\nhello\n").build()),
                        "working_directory"),
                grpc("profile file that is not a profile", Status.Code.INVALID_ARGUMENT,
                        () -> profiles.installProfile(InstallProfileRequest.newBuilder().setFileName("junk.md")
                                .setContent("\u0000\u0001 not yaml").build()), "---"),
                grpc("oversized request (over the 4 MiB message limit)", Status.Code.RESOURCE_EXHAUSTED,
                        () -> sessions().sendInput(SendInputRequest.newBuilder().setTerminalId("zzzzzzzz")
                                .setText("x".repeat(5 * 1024 * 1024)).build())));
    }

    @TestFactory
    Stream<DynamicTest> httpRefusesForeignPagesUnknownCallersAndJunk() {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
        String base = http.toString();
        return Stream.of(
                DynamicTest.dynamicTest("MCP call without a token (401)", () -> given().baseUri(base)
                        .contentType("application/json").body(init).post("/mcp").then().statusCode(401)),
                DynamicTest.dynamicTest("MCP call with a forged token (401)", () -> given().baseUri(base)
                        .contentType("application/json").header("Authorization", "Bearer " + "f".repeat(64))
                        .body(init).post("/mcp").then().statusCode(401)),
                DynamicTest.dynamicTest("MCP call from a web page elsewhere (403)", () -> given().baseUri(base)
                        .contentType("application/json").header("Origin", "https://evil.example").body(init)
                        .post("/mcp").then().statusCode(403)),
                DynamicTest.dynamicTest("health read from a web page elsewhere (403)", () -> given().baseUri(base)
                        .header("Origin", "http://evil.example").get("/q/health/live").then().statusCode(403)),
                DynamicTest.dynamicTest("DNS rebinding: a foreign Host name (403)", () -> given().baseUri(base)
                        .header("Host", "evil.example:7870").get("/q/health/live").then().statusCode(403)),
                DynamicTest.dynamicTest("a sandboxed page (Origin null) (403)", () -> given().baseUri(base)
                        .header("Origin", "null").get("/q/health/live").then().statusCode(403)),
                DynamicTest.dynamicTest("MCP call with a body that is not JSON-RPC (400)", () -> withLiveToken(
                        token -> given().baseUri(base).contentType("application/json")
                                .header("Authorization", "Bearer " + token).body("{not json").post("/mcp").then()
                                .statusCode(400))),
                DynamicTest.dynamicTest("oversized MCP body (413, refused from its Content-Length)",
                        () -> assertEquals(413, statusOfDeclaredBody(20 * 1024 * 1024))));
    }

    /** Sends only the headers of a POST declaring a body of {@code length} bytes; returns the status answered. */
    private int statusOfDeclaredBody(int length) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(http.getHost(), http.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + http.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @TestFactory
    Stream<DynamicTest> junkOnTheSocketLeavesTheDaemonServing() {
        return Stream.of(DynamicTest.dynamicTest("bytes that are not HTTP/2 on the gRPC socket", () -> {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(CaodTestHome.paths()
                    .defaultSocket()))) {
                ch.write(ByteBuffer.wrap("\u0000\u0001garbage\r\n\r\n".repeat(100).getBytes(StandardCharsets.UTF_8)));
            }
            given().baseUri(http.toString()).get("/q/health/ready").then().statusCode(200);
            var created = sessions().createSession(session().build());
            sessions().deleteSession(dev.caod.api.v1.DeleteSessionRequest.newBuilder()
                    .setSessionId(created.getSession().getId()).build());
        }));
    }

    /** Runs {@code call} with a live terminal's real token, so the body (not the credential) is what is refused. */
    private void withLiveToken(ThrowingConsumer<String> call) throws Throwable {
        var created = sessions().createSession(session().build());
        try {
            String id = created.getSupervisor().getId();
            String pane = QuarkusTransaction.requiringNew().call(() -> TerminalEntity.byRef(id).tmuxPane);
            long pid = Long.parseLong(TmuxServers.run(created.getSession().getTmuxSocket(), "display", "-p", "-t", pane,
                    "#{pane_pid}").output().strip());
            String environ = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/environ"));
            call.accept(List.of(environ.split("\u0000")).stream().filter(v -> v.startsWith("CAOD_MCP_TOKEN="))
                    .map(v -> v.substring("CAOD_MCP_TOKEN=".length())).findFirst().orElseThrow());
        } finally {
            sessions().deleteSession(dev.caod.api.v1.DeleteSessionRequest.newBuilder()
                    .setSessionId(created.getSession().getId()).build());
        }
    }

    interface ThrowingConsumer<T> {
        void accept(T value) throws Throwable;
    }
}
