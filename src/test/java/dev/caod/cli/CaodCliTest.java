package dev.caod.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.caod.CaodTestHome;
import dev.caod.CaodVersion;
import io.quarkus.test.junit.QuarkusTest;

/** The client commands, run in-process against the test daemon's real socket, and against no daemon at all. */
@QuarkusTest
public class CaodCliTest {

    public record Run(int code, String out, String err) {
    }

    public static Run caod(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CaodCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String socket() {
        return CaodTestHome.paths().defaultSocket().toString();
    }

    @Test
    void statusShowsTheDaemon() {
        Run r = caod("status", "--socket", socket());
        assertEquals(ExitCode.OK, r.code(), r.toString());
        assertTrue(r.out().contains("caod " + CaodVersion.get() + " serving"), r.out());
        assertTrue(r.out().contains(socket()), r.out());
        assertTrue(r.out().contains("schema v"), r.out());
    }

    @Test
    void statusAsJson() throws Exception {
        Run r = caod("status", "--socket", socket(), "-o", "json");
        assertEquals(ExitCode.OK, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(CaodVersion.get(), json.get("version").asText());
        assertEquals(socket(), json.get("grpcSocket").asText());
        assertTrue(json.has("liveTerminals"), r.out());
    }

    @Test
    void noDaemonExitsThreeAndSaysHowToStartIt() {
        Run r = caod("status", "--socket", CaodTestHome.HOME.resolve("nowhere/caod.sock").toString());
        assertEquals(ExitCode.DAEMON_UNAVAILABLE, r.code(), r.toString());
        assertTrue(r.err().contains("not running") && r.err().contains("caod serve"), r.err());
    }

    @Test
    void staleSocketFileIsReportedAsUnreachable() throws Exception {
        Path stale = CaodTestHome.HOME.resolve("stale.sock");
        java.nio.file.Files.writeString(stale, "");
        Run r = caod("status", "--socket", stale.toString(), "--call-timeout", "5");
        assertEquals(ExitCode.DAEMON_UNAVAILABLE, r.code(), r.toString());
        assertTrue(r.err().contains("cannot reach caod"), r.err());
    }

    @Test
    void doctorChecksTheRunningDaemon() throws Exception {
        Run r = caod("doctor", "--socket", socket(), "-o", "json");
        JsonNode checks = new ObjectMapper().readTree(r.out());
        String daemonLevel = null;
        for (JsonNode c : checks) {
            if (c.get("name").asText().equals("daemon")) {
                daemonLevel = c.get("level").asText();
            }
            if (c.get("level").asText().equals("fail")) {
                assertEquals(ExitCode.FAILURE, r.code(), r.toString());
            }
        }
        assertEquals("ok", daemonLevel, r.out());
        assertTrue(r.out().contains("\"agent claude_code\""), r.out());
        Run text = caod("doctor", "--socket", socket());
        assertTrue(text.out().contains("tmux"), text.out());
    }

    @Test
    void doctorChecksTheCliOfEveryProviderAManifestAdds() throws Exception {
        Path providers = CaodTestHome.paths().configDir().resolve("providers");
        java.nio.file.Files.createDirectories(providers);
        Path ghost = providers.resolve("ghost_cli.yaml");
        Path broken = providers.resolve("broken_cli.yaml");
        java.nio.file.Files.writeString(ghost, "provider: ghost_cli\nidle: ['^> ']\nanswer: {start: '^= '}\n"
                + "launch: {command: [no-such-ghost-cli, --go]}\n");
        java.nio.file.Files.writeString(broken, "provider: broken_cli\nidle: ['(']\nanswer: {start: '^= '}\n");
        try {
            Run r = caod("doctor", "--socket", socket(), "-o", "json");
            Map<String, JsonNode> byName = new java.util.HashMap<>();
            new ObjectMapper().readTree(r.out()).forEach(c -> byName.put(c.get("name").asText(), c));
            assertEquals("warn", byName.get("provider ghost_cli").get("level").asText(), r.out());
            assertTrue(byName.get("provider ghost_cli").get("fix").asText().contains("install no-such-ghost-cli"));
            assertEquals("fail", byName.get("provider broken_cli").get("level").asText(), r.out());
            assertTrue(byName.get("provider broken_cli").get("detail").asText().contains("idle"), r.out());
        } finally {
            java.nio.file.Files.delete(ghost);
            java.nio.file.Files.delete(broken);
        }
    }

    @Test
    void doctorWithoutDaemonFailsWithAFix() {
        Run r = caod("doctor", "--socket", CaodTestHome.HOME.resolve("nowhere/caod.sock").toString());
        assertEquals(ExitCode.FAILURE, r.code(), r.toString());
        assertTrue(r.out().contains("not running") && r.out().contains("fix:"), r.out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run r = caod("frobnicate");
        assertEquals(ExitCode.USAGE, r.code(), r.toString());
    }
}
