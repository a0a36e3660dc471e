package dev.caod.daemon;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import io.quarkus.test.junit.QuarkusTest;

/** The loopback HTTP side of the daemon, and the file modes it leaves behind. */
@QuarkusTest
class HttpHealthTest {

    @Test
    void readinessIsUpWithGrpcAndDatabaseChecks() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("gRPC Server", "Database connections health check"));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void socketAndDatabaseArePrivate() throws Exception {
        var paths = CaodTestHome.paths();
        // the daemon restricts the socket right after the bind, asynchronously
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.defaultSocket()))));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.defaultDatabase())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.runtimeDir())));
    }
}
