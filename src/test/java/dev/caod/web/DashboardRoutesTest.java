package dev.caod.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The dashboard's login, headers and JSON gateway over real HTTP, onto the daemon's real gRPC socket and tmux. */
@QuarkusTest
class DashboardRoutesTest {

    @TestHTTPResource("/")
    URL http;

    private static String token() throws Exception {
        return Files.readString(CaodTestHome.paths().stateDir().resolve(DashboardToken.FILE_NAME)).trim();
    }

    private String base() {
        return http.toString();
    }

    private String rpc(String method, String body) throws Exception {
        return given().baseUri(base()).header("Authorization", "Bearer " + token()).contentType("application/json")
                .body(body).post("/api/v1/rpc/" + method).then().statusCode(200).extract().asString();
    }

    @Test
    void theLoginLinkSetsAStrictHttpOnlyCookieThatOpensTheApi() throws Exception {
        given().baseUri(base()).redirects().follow(false).get("/ui/login?token=wrong").then().statusCode(401)
                .body(containsString("caod dashboard"));
        var login = given().baseUri(base()).redirects().follow(false).get("/ui/login?token=" + token()).then()
                .statusCode(303).header("Location", "/ui/").extract();
        String setCookie = login.header("Set-Cookie");
        assertTrue(setCookie.startsWith(DashboardRoutes.COOKIE + "=" + token()), setCookie);
        assertTrue(setCookie.toLowerCase().contains("httponly") && setCookie.contains("SameSite=Strict"), setCookie);

        given().baseUri(base()).contentType("application/json").body("{}")
                .post("/api/v1/rpc/caod.v1.SessionService/ListSessions").then().statusCode(401)
                .body("code", equalTo("UNAUTHENTICATED")).body("error", containsString("caod dashboard"));
        given().baseUri(base()).cookie(DashboardRoutes.COOKIE, "forged").contentType("application/json").body("{}")
                .post("/api/v1/rpc/caod.v1.SessionService/ListSessions").then().statusCode(401);
        given().baseUri(base()).cookie(DashboardRoutes.COOKIE, token()).contentType("application/json").body("{}")
                .post("/api/v1/rpc/caod.v1.SessionService/ListSessions").then().statusCode(200)
                .header("Content-Type", containsString("application/json"));
    }

    @Test
    void pagesFromElsewhereAndFormPostsAreRefused() throws Exception {
        given().baseUri(base()).cookie(DashboardRoutes.COOKIE, token()).header("Origin", "https://evil.example")
                .contentType("application/json").body("{}").post("/api/v1/rpc/caod.v1.SessionService/ListSessions")
                .then().statusCode(403);
        given().baseUri(base()).cookie(DashboardRoutes.COOKIE, token()).contentType("application/x-www-form-urlencoded")
                .body("a=b").post("/api/v1/rpc/caod.v1.SessionService/ListSessions").then().statusCode(415);
        given().baseUri(base()).get("/ui/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("X-Frame-Options", "DENY");
    }

    @Test
    void errorsCarryTheDaemonsMessageAndAnHttpStatus() throws Exception {
        var auth = given().baseUri(base()).header("Authorization", "Bearer " + token()).contentType("application/json");
        auth.body("{\"terminalId\": \"zzzzzzzz\"}").post("/api/v1/rpc/caod.v1.SessionService/GetTerminal").then()
                .statusCode(404).body("code", equalTo("NOT_FOUND")).body("error", containsString("zzzzzzzz"));
        auth.body("{\"terminalId\": 5, \"nope\": 1}").post("/api/v1/rpc/caod.v1.SessionService/GetTerminal").then()
                .statusCode(400).body("error", containsString("GetTerminalRequest"));
        auth.body("{}").post("/api/v1/rpc/caod.v1.SessionService/Nope").then().statusCode(404)
                .body("error", containsString("no gRPC method"));
        auth.body("{}").post("/api/v1/rpc/caod.v1.DaemonService/WatchEvents").then().statusCode(400)
                .body("error", containsString("/api/v1/stream/"));
        auth.body("{}").post("/api/v1/elsewhere").then().statusCode(404);
    }

    @Test
    void aSessionIsDrivenThroughTheGatewayAndItsScreenStreamsUntilItExits() throws Exception {
        JsonPath created = JsonPath.from(rpc("caod.v1.SessionService/CreateSession", "{\"profile\": \"agent\","
                + " \"provider\": \"demo\", \"workingDirectory\": \"" + CaodTestHome.HOME + "\"}"));
        String id = created.getString("supervisor.id");
        // default values are printed: a page never has to guess a missing field
        assertEquals("", created.getString("supervisor.exitReason"));
        JsonPath reached = JsonPath.from(rpc("caod.v1.SessionService/AwaitStatus", "{\"terminalId\": \"" + id
                + "\", \"anyOf\": [\"TERMINAL_STATUS_IDLE\"], \"timeout\": \"60s\"}"));
        assertTrue(reached.getBoolean("reached"));

        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Stream<String>>> screen = sse("caod.v1.SessionService/WatchScreen",
                "{\"terminalId\": \"" + id + "\"}", lines);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ")
                && l.contains("\"terminalId\":\"" + id + "\"")));
        rpc("caod.v1.SessionService/SendInput", "{\"terminalId\": \"" + id + "\", \"text\": \"shown live\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ")
                && l.contains("DEMO-ECHO: shown live")));
        rpc("caod.v1.SessionService/CloseTerminal", "{\"terminalId\": \"" + id + "\"}");
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.contains("event: end"));
        screen.cancel(true);

        List<String> log = new CopyOnWriteArrayList<>();
        sse("caod.v1.DaemonService/WatchEvents", "{\"sessionId\": \"" + created.getString("session.id")
                + "\", \"afterEventId\": \"0\", \"replayOnly\": true}", log);
        await().atMost(Duration.ofSeconds(30)).until(() -> log.contains("event: end"));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("id: ")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("EVENT_KIND_LIFECYCLE_CHANGED")), log.toString());
    }

    /** Reads a Server-Sent Events stream line by line into {@code lines}, on the HTTP client's threads. */
    private CompletableFuture<HttpResponse<Stream<String>>> sse(String method, String request, List<String> lines)
            throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base() + "api/v1/stream/" + method + "?request="
                + URLEncoder.encode(request, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token())
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(get,
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return CompletableFuture.supplyAsync(() -> {
            response.body().forEach(lines::add);
            return response;
        });
    }
}
