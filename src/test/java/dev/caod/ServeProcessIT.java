package dev.caod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.caod.cli.DaemonClient;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;

/**
 * The packaged daemon as users run it: `bin/caod serve` as a real process, real signals, the real client binary.
 * Runs after `package` (failsafe), against target/quarkus-app.
 */
class ServeProcessIT {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** The daemons under test get a tmux server of their own. */
    static final String TMUX_SOCKET = "caod-it-" + ProcessHandle.current().pid();
    private static final Duration BOOT = Duration.ofSeconds(90);

    private static Path home;
    private static Process daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        home = Files.createTempDirectory("caod-it");
        daemon = serve(home, "daemon.log");
        awaitServing(home, daemon);
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
            daemon.destroyForcibly();
        }
        TmuxServers.killAll(TMUX_SOCKET);
        CaodTestHome.deleteTree(home);
    }

    @Test
    void profileCommandsValidateAndList() throws Exception {
        Path bad = home.resolve("bad.md");
        Files.writeString(bad, "---\nname: bad\nallowedTools: Read\n---\nx\n");
        Result validated = caod(home, "profile", "validate", bad.toString());
        assertEquals(1, validated.code, validated.toString());
        assertTrue(validated.out.contains(bad + ":3: error: [allowedTools]"), validated.out);

        Result list = caod(home, "profile", "list");
        assertEquals(0, list.code, list.toString());
        assertTrue(list.out.contains("code_supervisor") && list.out.contains("builtin"), list.out);
    }

    @Test
    void launchHeadlessStartsATeamAndPrintsTheAnswer() throws Exception {
        Result launched = caod(home, "launch", "--agents", "developer", "--provider", "demo", "--headless",
                "--working-dir", home.toString(), "--timeout", "60", "hello team");
        assertEquals(0, launched.code, launched.toString());
        assertTrue(launched.out.contains("Result: done") && launched.out.contains("Task was: hello team"), launched.out);
        assertTrue(launched.out.contains("terminal "), launched.out);

        Result unknown = caod(home, "launch", "--agents", "nobody_here", "--headless", "--working-dir", home.toString());
        assertEquals(4, unknown.code, unknown.toString());
        assertTrue(unknown.err.contains("nobody_here"), unknown.err);

        Result system = caod(home, "launch", "--agents", "developer", "--provider", "demo", "--headless",
                "--working-dir", "/etc");
        assertEquals(5, system.code, system.toString());
        assertTrue(system.err.contains("system folder"), system.err);
    }

    @Test
    void aPersonOrchestratesFromTheCommandLine() throws Exception {
        Result created = caod(home, "session", "create", "--profile", "developer", "--provider", "demo",
                "--working-dir", home.toString());
        assertEquals(0, created.code, created.toString());
        String session = created.out.lines().findFirst().orElseThrow().split("\\s+")[0];
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("(?m)^([a-z0-9]{8})\\s+demo\\s")
                .matcher(created.out);
        assertTrue(id.find(), created.out);
        String supervisor = id.group(1);

        Result handedOff = caod(home, "handoff", "--session", session, "reviewer", "look at hello.py");
        assertEquals(0, handedOff.code, handedOff.toString());
        assertTrue(handedOff.out.contains("Verdict: approve") && handedOff.out.contains("Reviewed: look at hello.py"),
                handedOff.out);
        Result assigned = caod(home, "assign", "--from", supervisor, "reviewer", "and at its tests");
        assertEquals(0, assigned.code, assigned.toString());
        String worker = assigned.out.strip().split("\\s+")[0];
        await().atMost(BOOT).until(() -> caod(home, "inbox", supervisor).out.contains("from " + worker));
        Result log = caod(home, "session", "log", session);
        assertEquals(0, log.code, log.toString());
        assertTrue(log.out.contains("you handed off to") && log.out.contains("ended completed")
                && log.out.contains(supervisor + " assigned " + worker + " (reviewer): and at its tests")
                && log.out.contains("message ") && log.out.contains("from " + worker + " to " + supervisor),
                log.out);
        Result bad = caod(home, "handoff", "--session", session, "nobody_here", "x");
        assertEquals(4, bad.code, bad.toString());
        personAttaches(supervisor);

        // the stdio bridge, as a stdio-only CLI would run it, with the supervisor's own credential
        String token = agentEnv(supervisor).get("CAOD_MCP_TOKEN");
        String url = agentEnv(supervisor).get("CAOD_MCP_URL");
        ProcessBuilder bridge = new ProcessBuilder(ROOT.resolve("bin/caod").toString(), "mcp");
        environment(bridge, home);
        bridge.environment().put("CAOD_MCP_TOKEN", token);
        bridge.environment().put("CAOD_MCP_URL", url);
        Process p = bridge.start();
        p.getOutputStream().write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"list_terminals\",\"arguments\":{}}}\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(answer.contains("\"id\":1") && answer.contains(supervisor + "  developer  demo")
                && answer.contains("(you)"), answer);
    }

    /**
     * A person runs {@code caod terminal attach} in a terminal of their own, itself inside their own tmux (so $TMUX
     * is set): it attaches to the session's own tmux server and shows the agent's window.
     */
    private static void personAttaches(String terminal) throws Exception {
        String person = "caod-it-person-" + ProcessHandle.current().pid();
        try {
            TmuxServers.Result started = TmuxServers.run(person, "-f", "/dev/null", "new-session", "-d", "-x", "200",
                    "-y", "50", "-e", "CAOD_HOME=" + home, "-e", "CAOD_NO_BUILD=1", "--",
                    ROOT.resolve("bin/caod").toString(), "terminal", "attach", terminal);
            assertEquals(0, started.exitCode(), started.output());
            String[] found = null; // the server and window id of the agent's window
            for (String s : TmuxServers.sockets(TMUX_SOCKET)) {
                for (String w : TmuxServers.run(s, "list-windows", "-a", "-F", "#{window_id} #{window_name}").output()
                        .lines().toList()) {
                    if (w.endsWith("-" + terminal)) {
                        found = new String[] {s, w.split(" ")[0]};
                    }
                }
            }
            assertTrue(found != null, "no tmux server has " + terminal);
            String socket = found[0];
            await().atMost(BOOT).until(() -> !TmuxServers.run(socket, "list-clients").output().isBlank());
            // what the person sees is the agent's screen
            String agentLine = TmuxServers.run(socket, "capture-pane", "-p", "-t", found[1]).output().lines()
                    .filter(l -> !l.isBlank()).findFirst().orElseThrow().strip();
            await().atMost(BOOT).until(() -> TmuxServers.run(person, "capture-pane", "-p").output().contains(agentLine));
        } finally {
            TmuxServers.killAll(person);
        }
    }

    /** An agent's environment as caod gave it: read from its process, found through caod's tmux server. */
    private static java.util.Map<String, String> agentEnv(String terminal) throws Exception {
        String panes = TmuxServers.sockets(TMUX_SOCKET).stream()
                .map(socket -> TmuxServers.run(socket, "list-panes", "-a", "-F", "#{window_name} #{pane_pid}").output())
                .collect(java.util.stream.Collectors.joining("\n"));
        String pid = panes.lines().filter(l -> l.split(" ")[0].endsWith("-" + terminal)).findFirst().orElseThrow()
                .split(" ")[1];
        java.util.Map<String, String> env = new java.util.HashMap<>();
        for (String kv : Files.readString(Path.of("/proc", pid, "environ")).split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void statusCommandTalksToTheRunningDaemon() throws Exception {
        Result text = caod(home, "status");
        assertEquals(0, text.code, text.toString());
        assertTrue(text.out.contains(socket(home).toString()), text.toString());
        Result json = caod(home, "status", "-o", "json");
        assertEquals(0, json.code, json.toString());
        assertTrue(json.out.contains("\"schemaVersion\""), json.toString());
        assertTrue(json.out.contains("\"pid\": \"" + daemon.pid() + "\""), json.toString());
    }

    @Test
    void clientWithoutDaemonSaysHowToStartIt() throws Exception {
        Path empty = Files.createTempDirectory("caod-none");
        Result r = caod(empty, "status");
        assertEquals(3, r.code, r.toString());
        assertTrue(r.err.contains("not running") && r.err.contains("caod serve"), r.toString());
        assertTrue(r.out.isEmpty(), r.toString());
        Result doctor = caod(empty, "doctor");
        assertEquals(1, doctor.code, doctor.toString());
        assertTrue(doctor.out.contains("fix:"), doctor.toString());
        CaodTestHome.deleteTree(empty);
    }

    @Test
    void secondServeOnTheSameSocketRefusesAndLeavesTheFirstAlone() throws Exception {
        Process second = serve(home, "second.log");
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second daemon must give up, not hang");
        String log = Files.readString(home.resolve("second.log"));
        assertEquals(10, second.exitValue(), log);
        assertTrue(log.contains("already serving") && log.contains("pid " + daemon.pid()), log);
        assertEquals(ServingStatus.SERVING, health(home));
    }

    @Test
    void sigtermTurnsHealthNotServingBeforeExiting() throws Exception {
        Path own = Files.createTempDirectory("caod-term");
        Process p = serve(own, "daemon.log");
        try {
            awaitServing(own, p);
            List<ServingStatus> seen = new CopyOnWriteArrayList<>();
            Thread watcher = Thread.ofVirtual().start(() -> {
                try (DaemonClient client = DaemonClient.forSocket(socket(own), Duration.ofSeconds(60))) {
                    Iterator<HealthCheckResponse> it = HealthGrpc.newBlockingStub(client.channel())
                            .withDeadlineAfter(60, TimeUnit.SECONDS)
                            .watch(HealthCheckRequest.getDefaultInstance());
                    while (it.hasNext()) {
                        seen.add(it.next().getStatus());
                    }
                } catch (RuntimeException streamEnded) {
                    // the daemon going away ends the stream; what it said before is what counts
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains(ServingStatus.SERVING));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "caod must exit after SIGTERM");
            watcher.join(Duration.ofSeconds(30));
            assertTrue(seen.contains(ServingStatus.NOT_SERVING), "statuses seen: " + seen);
            Result after = caod(own, "status");
            assertEquals(3, after.code, after.toString());
        } finally {
            p.destroyForcibly();
            CaodTestHome.deleteTree(own);
        }
    }

    // --- helpers ---

    /** Ends the agents of the ITs' tmux server and removes a daemon home (null: nothing to remove). */
    static void removeHome(Path caodHome) throws Exception {
        TmuxServers.killAll(TMUX_SOCKET);
        if (caodHome != null) {
            CaodTestHome.deleteTree(caodHome);
        }
    }

    static Path socket(Path caodHome) {
        return caodHome.resolve("run/caod.sock");
    }

    static Process serve(Path caodHome, String logName) throws IOException {
        return serve(caodHome, logName, "");
    }

    /** With more JVM options ({@code -Dkey=value …}) after the tests' own. */
    static Process serve(Path caodHome, String logName, String javaOptions) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/caod").toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(caodHome.resolve(logName).toFile());
        environment(pb, caodHome);
        // a random HTTP port: a developer's own daemon may hold the default
        pb.environment().put("CAOD_JAVA_OPTS", "-Dquarkus.http.port=0 -Dcaod.tmux.socket-name=" + TMUX_SOCKET + " "
                + javaOptions);
        return pb.start();
    }

    private static void environment(ProcessBuilder pb, Path caodHome) {
        pb.environment().put("CAOD_HOME", caodHome.toString());
        pb.environment().put("CAOD_NO_BUILD", "1");
        pb.environment().remove("XDG_RUNTIME_DIR");
    }

    static void awaitServing(Path caodHome, Process p) {
        await().atMost(BOOT).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("caod serve exited early:\n" + Files.readString(caodHome.resolve("daemon.log")));
            }
            return Files.exists(socket(caodHome)) && health(caodHome) == ServingStatus.SERVING;
        });
    }

    private static ServingStatus health(Path caodHome) {
        try (DaemonClient client = DaemonClient.forSocket(socket(caodHome), Duration.ofSeconds(5))) {
            return HealthGrpc.newBlockingStub(client.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } catch (RuntimeException notYet) {
            return ServingStatus.UNKNOWN;
        }
    }

    record Result(int code, String out, String err) {
    }

    static Result caod(Path caodHome, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("bin/caod").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        environment(pb, caodHome);
        Path out = Files.createTempFile("caod-out", ".txt");
        Path err = Files.createTempFile("caod-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "caod " + String.join(" ", args) + " hung");
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
