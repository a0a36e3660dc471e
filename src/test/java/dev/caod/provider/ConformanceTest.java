package dev.caod.provider;

import static dev.caod.provider.RealCli.WAIT;
import static dev.caod.provider.RealCli.awaitStatus;
import static dev.caod.provider.RealCli.screen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.caod.event.EventBus;
import dev.caod.fakemodel.FakeModelServer;
import dev.caod.fakemodel.Scenario;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;
import dev.caod.tmux.Tmux;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The provider conformance suite: one set of journeys every provider must pass, run against each installed CLI (the
 * real, pinned CLIs from npm against the scripted fake model; caod's own demo agent). Adding a provider means adding
 * it to {@link #PROVIDERS} and passing. Each journey asserts outcomes a user relies on: the exact status sequence of a
 * tool-using turn, the exact answer, a whole long answer, a handoff to another provider's worker, a permission dialog
 * reported as waiting, a dead CLI reported as an error, and nothing left running after a close.
 */
@QuarkusTest
class ConformanceTest {

    /**
     * Every provider whose CLI runs here, in ring order: each hands off to the next one's worker. While working on
     * one provider, {@code -Dconformance.providers=gemini_cli,demo} runs just those.
     */
    static final List<String> PROVIDERS = List.of(System.getProperty("conformance.providers",
            "claude_code,codex,gemini_cli,qwen_code,opencode,demo").split(","));

    private static final Duration HANDOFF_WAIT = Duration.ofMinutes(5);

    private static FakeModelServer model;
    private static Map<String, String> env;

    @Inject
    TerminalService terminals;
    @Inject
    EventBus events;
    @Inject
    Tmux tmux;

    /**
     * What the fake model does; the demo agent's script (test resources demo/conformer.yaml) does the same. caod's
     * tools are named by the suffix {@code _<tool>}, which every CLI's MCP naming has (mcp__caod__send_message,
     * mcp_caod_send_message, caod_send_message …) and a CLI's own built-in tool of the same name has not (Qwen Code
     * has a {@code send_message} of its own).
     */
    static Scenario scenario() {
        return Scenario.builder()
                .when("(?i)delegate to ([a-z_]+): (.+)").callTool("_handoff", Map.of("agent_profile", "conformer",
                        "provider", "{1}", "message", "{2}", "timeout_seconds", 300))
                .thenReply("SUPERVISOR-GOT {tool_result}")
                .when("(?i)assign to ([a-z_]+): (.+)").callTool("_assign", Map.of("agent_profile", "conformer",
                        "provider", "{1}", "message", "{2}")).thenReply("ASSIGNED")
                .when("REVIEW-DONE").reply("TEAM-DONE")
                .when("(?i)review the parser").callTool("_send_message", Map.of("message", "REVIEW-DONE"))
                .thenReply("REPORTED")
                .when("(?i)ask first, then tell (\\w+)").callTool("_send_message", Map.of("receiver_id", "{1}",
                        "message", "NOTE-FROM-CONFORMER")).thenReply("CAOD-TOOL-DONE")
                .when("(?i)call caod").callTool("_list_terminals", Map.of())
                .thenReply("CAOD-TOOL-DONE").delay(Duration.ofSeconds(2)) // busy after the tool call, for a while
                .when("(?i)long answer").reply(Scenario.numberedLines("LINE-", 150))
                .when("(?i)build the parser").reply("PARSER-BUILT")
                .defaultReply("FAKE-DEFAULT").build();
    }

    static List<String> providers() {
        return PROVIDERS;
    }

    @BeforeAll
    static void setUp() throws Exception {
        Path bin = RealCli.binDir();
        model = new FakeModelServer(scenario()).start();
        env = CliUserHome.prepare(RealCli.newHome("conformance"), bin, model.baseUrl());
    }

    @AfterAll
    static void tearDown() {
        if (model != null) {
            model.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aToolTurnALongAnswerAndAHandoffToAnotherProvidersWorkerThenACleanClose(String provider) throws Exception {
        long firstRequest = model.requests().size();
        TerminalView t = start(provider, Map.of());
        try {
            try (var statuses = new RealCli.Statuses(events, t.id())) {
                terminals.sendInput(t.id(), "call caod now", false, false);
                awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
                assertEquals("CAOD-TOOL-DONE", last(t), () -> terminals.output(t.id(), TerminalService.OutputMode.FULL,
                        0).text());
                // a CLI may still settle from its start-up (busy, then idle) as the task arrives; idle is never part
                // of a turn (with a task given it is processing, completed, waiting or error), so the turn is what
                // follows the last idle
                List<AgentStatus> turn = statuses.seen.subList(statuses.seen.lastIndexOf(AgentStatus.IDLE) + 1,
                        statuses.seen.size());
                assertTrue(turn.contains(AgentStatus.PROCESSING), "seen: " + statuses.seen);
                assertEquals(List.of(AgentStatus.PROCESSING, AgentStatus.COMPLETED), turn.subList(
                        turn.indexOf(AgentStatus.PROCESSING), turn.size()),
                        "processing throughout the tool call, completed once: " + statuses.seen);
            }
            if (!provider.equals("demo")) {
                List<FakeModelServer.RecordedRequest> seen = model.requests().subList((int) firstRequest,
                        model.requests().size());
                assertTrue(seen.stream().anyMatch(r -> r.body().contains("ROLE-MARKER-CONFORMER")),
                        "the profile's role prompt reaches the model");
                assertTrue(seen.stream().flatMap(r -> r.toolResults().stream()).anyMatch(r -> r.contains(t.id())),
                        "caod's list_terminals ran through MCP and its result (naming this terminal) reached the model");
            }

            terminals.sendInput(t.id(), "long answer please", false, false);
            awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
            List<String> lines = last(t).lines().toList();
            assertEquals(150, lines.size(), () -> "the whole long answer, nothing more:\n" + last(t) + "\nfrom:\n"
                    + terminals.output(t.id(), TerminalService.OutputMode.FULL, 0).text());
            assertTrue(lines.getFirst().startsWith("LINE-001") && lines.getLast().startsWith("LINE-150"), lines::toString);

            String next = PROVIDERS.get((PROVIDERS.indexOf(provider) + 1) % PROVIDERS.size());
            terminals.sendInput(t.id(), "delegate to " + next + ": build the parser", false, false);
            assertTrue(terminals.awaitStatus(t.id(), Set.of(AgentStatus.COMPLETED), HANDOFF_WAIT).reached(),
                    () -> screen(terminals, t.id()));
            String answer = last(t);
            assertTrue(answer.startsWith("SUPERVISOR-GOT outcome: completed") && answer.contains("PARSER-BUILT"),
                    () -> "the " + next + " worker's answer came back through the handoff:\n" + answer);
            TerminalView worker = terminals.terminals(t.sessionId(), Set.of(), true).stream()
                    .filter(w -> t.id().equals(w.callerId())).findFirst().orElseThrow();
            assertEquals(next, worker.provider());

            List<ProcessHandle> tree = RealCli.tree(RealCli.panePid(terminals, tmux, t));
            assertEquals(Lifecycle.EXITED, terminals.close(t.id()).lifecycle());
            Awaitility.await().atMost(WAIT).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            terminals.deleteSession(t.sessionId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aPermissionDialogWaitsForAPersonAndAKilledCliIsAnError(String provider) throws Exception {
        TerminalView t = start(provider, Map.of("CAOD_APPROVALS", "ask"));
        try {
            // send_message changes something (unlike read-only tools, which some CLIs run without asking)
            TerminalView peer = terminals.createTerminal(t.sessionId(), "agent", "demo", "", null, Map.of());
            terminals.sendInput(t.id(), "ask first, then tell " + peer.id(), false, false);
            awaitStatus(terminals, t.id(), AgentStatus.WAITING_USER_ANSWER);
            terminals.sendKeys(t.id(), List.of("Enter"));
            awaitStatus(terminals, t.id(), AgentStatus.COMPLETED);
            assertEquals("CAOD-TOOL-DONE", last(t));
            Awaitility.await().atMost(WAIT).until(() -> terminals.output(peer.id(), TerminalService.OutputMode.FULL, 0)
                    .text().contains("DEMO-ECHO: [message from terminal " + t.id() + "] NOTE-FROM-CONFORMER"));

            RealCli.tree(RealCli.panePid(terminals, tmux, t)).getFirst().destroyForcibly();
            awaitStatus(terminals, t.id(), AgentStatus.ERROR);
        } finally {
            terminals.deleteSession(t.sessionId());
        }
    }

    /** The mixed team of the issue: a Claude Code supervisor hands off to Codex and assigns Gemini CLI. */
    @Test
    void aMixedTeamCompletesAHandoffAndAnAssign() throws Exception {
        String assignee = PROVIDERS.contains("gemini_cli") ? "gemini_cli" : "demo";
        TerminalView boss = start("claude_code", Map.of());
        try {
            terminals.sendInput(boss.id(), "delegate to codex: build the parser", false, false);
            assertTrue(terminals.awaitStatus(boss.id(), Set.of(AgentStatus.COMPLETED), HANDOFF_WAIT).reached(),
                    () -> screen(terminals, boss.id()));
            assertTrue(last(boss).contains("PARSER-BUILT"), () -> last(boss));

            terminals.sendInput(boss.id(), "assign to " + assignee + ": review the parser", false, false);
            // ASSIGNED at once, then the worker's report arrives by send_message and the supervisor sums up
            Awaitility.await().atMost(HANDOFF_WAIT).pollInterval(Duration.ofMillis(250)).until(
                    () -> "TEAM-DONE".equals(lastOrEmpty(boss)));
            Predicate<TerminalView> assigned = w -> boss.id().equals(w.callerId()) && w.provider().equals(assignee);
            assertTrue(terminals.terminals(boss.sessionId(), Set.of(), true).stream().anyMatch(assigned));
        } finally {
            terminals.deleteSession(boss.sessionId());
        }
    }

    /** Starts the provider's CLI as a session's supervisor with the conformer profile; waits until it is idle. */
    private TerminalView start(String provider, Map<String, String> extraEnv) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        var created = terminals.createSession("conformer", provider, Path.of(env.get("HOME"), "work").toString(),
                null, all, null);
        TerminalView t = created.supervisor();
        assertTrue(terminals.awaitReady(t.id(), WAIT).reached(), () -> screen(terminals, t.id()));
        awaitStatus(terminals, t.id(), AgentStatus.IDLE);
        return t;
    }

    private String last(TerminalView t) {
        return terminals.output(t.id(), TerminalService.OutputMode.LAST, 0).text();
    }

    private String lastOrEmpty(TerminalView t) {
        try {
            return last(t);
        } catch (RuntimeException e) {
            return "";
        }
    }
}
