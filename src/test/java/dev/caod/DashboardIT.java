package dev.caod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.cli.DaemonClient;
import dev.caod.web.DashboardToken;

/**
 * The web dashboard in a real browser: the packaged daemon with demo agents, and Playwright driving Debian's Chromium
 * headless through src/test/web/dashboard.test.mjs (launch a team from the page, live status, input from the page
 * reaching the pane, a flow run in its history, a foreign Origin refused, axe-core's WCAG checks and keyboard use).
 * Screenshots of the main views land in
 * target/screenshots (docs/screenshots holds the committed ones).
 */
class DashboardIT {

    private static final Path WEB_TESTS = Path.of("src/test/web").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static Path home;

    @AfterAll
    static void cleanUp() throws Exception {
        ServeProcessIT.removeHome(home);
    }

    @Test
    void aTeamIsWatchedAndSteeredFromChromium() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "the dashboard tests need Debian's Chromium at " + CHROMIUM
                + ": `sudo apt-get install chromium` (.ci/run installs it)");
        installWebTestDependencies();
        home = Files.createTempDirectory("caod-it-dashboard");
        Path work = Files.createDirectories(home.resolve("work"));
        // a broken flow file, which the flows view must list with its problem
        Files.createDirectories(home.resolve("config/flows"));
        Files.writeString(home.resolve("config/flows/broken.md"), "---\nname: broken\nschedule: \"every tuesday\"\n"
                + "agent_profile: developer\n---\nnever runs\n");
        Process daemon = ServeProcessIT.serve(home, "daemon.log");
        try {
            ServeProcessIT.awaitServing(home, daemon);
            String http;
            try (DaemonClient client = DaemonClient.forSocket(ServeProcessIT.socket(home), Duration.ofSeconds(30))) {
                http = DaemonServiceGrpc.newBlockingStub(client.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.getDefaultInstance()).getHttpAddress();
            }
            Path screenshots = Files.createDirectories(Path.of("target/screenshots").toAbsolutePath());
            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec", "dashboard.test.mjs")
                    .directory(WEB_TESTS.toFile()).redirectErrorStream(true)
                    .redirectOutput(home.resolve("playwright.log").toFile());
            node.environment().put("CAOD_URL", "http://" + http);
            // the link `caod dashboard` prints is what the browser signs in with
            var link = ServeProcessIT.caod(home, "dashboard");
            assertEquals(0, link.code(), link.toString());
            String prefix = "http://" + http + "/ui/login?token=";
            assertTrue(link.out().strip().startsWith(prefix), link.toString());
            node.environment().put("CAOD_TOKEN", link.out().strip().substring(prefix.length()));
            node.environment().put("CAOD_WORKDIR", work.toString());
            node.environment().put("CAOD_SCREENSHOTS", screenshots.toString());
            Process run = node.start();
            boolean ended = run.waitFor(10, TimeUnit.MINUTES);
            if (!ended) {
                run.destroyForcibly();
            }
            String log = Files.readString(home.resolve("playwright.log"));
            System.out.println(log);
            assertTrue(ended, "the browser tests hung:\n" + log);
            assertEquals(0, run.exitValue(), "the browser tests failed:\n" + log + "\ndaemon log:\n"
                    + Files.readString(home.resolve("daemon.log")));

            // a stop with a page open: its event stream is ended first, so the stop does not wait out its grace
            // period for a request that never ends
            var events = java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + http + "/api/v1/stream/caod.v1.DaemonService/WatchEvents?request=%7B%7D"))
                    .header("Authorization", "Bearer " + Files.readString(home.resolve("state")
                            .resolve(DashboardToken.FILE_NAME)).trim()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, events.get(30, TimeUnit.SECONDS).statusCode()); // the headers: the stream is open
            daemon.destroy();
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
            String daemonLog = Files.readString(home.resolve("daemon.log"));
            assertTrue(daemonLog.matches("(?s).*closing \\d+ dashboard stream\\(s\\).*"), daemonLog);
            assertTrue(!daemonLog.contains("Timed out waiting for graceful shutdown"), daemonLog);
        } finally {
            daemon.destroy();
            daemon.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** `npm ci` on first use (the registry is reachable); .ci/run does the same up front. */
    private static void installWebTestDependencies() throws Exception {
        if (java.util.stream.Stream.of("playwright-core", "axe-core")
                .allMatch(p -> Files.isDirectory(WEB_TESTS.resolve("node_modules").resolve(p)))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(WEB_TESTS.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm ci hung in " + WEB_TESTS);
        assertEquals(0, npm.exitValue(), "npm ci failed in " + WEB_TESTS);
    }
}
