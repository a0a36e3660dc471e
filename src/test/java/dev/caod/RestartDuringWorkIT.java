package dev.caod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.FlowRun;
import dev.caod.api.v1.FlowRunOutcome;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.GetOutputRequest;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.InboxMessage;
import dev.caod.api.v1.ListFlowRunsRequest;
import dev.caod.api.v1.ListInboxRequest;
import dev.caod.api.v1.MessageState;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.OutputMode;
import dev.caod.api.v1.RunFlowRequest;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SendMessageRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.Terminal;
import dev.caod.api.v1.TerminalLifecycle;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.cli.DaemonClient;
import io.grpc.ManagedChannel;

/**
 * The packaged daemon stopped (SIGTERM, as systemd does) or killed (SIGKILL, a crash) while it is at work: a flow
 * run's agent is thinking, a stream of messages is being typed into an agent, another agent finishes its task while
 * caod is down, and a third agent's window is closed by hand while caod is down. After the restart: the flow run
 * ends with the agent's answer and is marked resumed, every message is delivered once (a crash may re-send the one
 * being typed, flagged as such), the finished agent is seen completed with its answer, and the closed one is exited
 * with its transcript kept.
 */
class RestartDuringWorkIT {

    enum Stop { SIGTERM, SIGKILL }

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String FROM_A_PERSON = "[message from a person or tool (over caod)] ";
    private static final int BEFORE = 12;
    private static final int AFTER = 6;

    private Path home;

    @AfterEach
    void cleanUp() throws Exception {
        ServeProcessIT.removeHome(home);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Stop.class)
    void nothingIsLostWhenCaodRestartsDuringWork(Stop stop) throws Exception {
        home = Files.createTempDirectory("caod-it-work-" + stop.name().toLowerCase());
        Files.createDirectories(home.resolve("work"));
        Files.createDirectories(home.resolve("config/demo"));
        Files.writeString(home.resolve("config/demo/developer.yaml"), """
                name: developer
                rules:
                  - when: "nightly check"
                    steps:
                      - think: 30s
                      - reply: "NIGHTLY-DONE while caod restarted"
                  - when: "quick task"
                    steps:
                      - think: 2s
                      - reply: "QUICK-DONE"
                default:
                  - think: 300ms
                  - reply: "GOT ${input}"
                """);
        Files.createDirectories(home.resolve("config/flows"));
        Files.writeString(home.resolve("config/flows/nightly.md"), "---\nname: nightly\nschedule: \"0 3 * * *\"\n"
                + "agent_profile: developer\nprovider: demo\nworking_directory: " + home.resolve("work")
                + "\n---\nnightly check\n");

        Process daemon = ServeProcessIT.serve(home, "daemon.log");
        Process again = null;
        try {
            ServeProcessIT.awaitServing(home, daemon);
            String receiver = developer();
            String finisher = developer();
            String closedByHand = developer();
            for (String id : List.of(receiver, finisher, closedByHand)) {
                await().atMost(WAIT).until(() -> terminal(id).getStatus() == TerminalStatus.TERMINAL_STATUS_IDLE);
            }
            // the agent closed by hand later has had a turn, so it has a transcript to keep
            type(closedByHand, "quick task");
            await().atMost(WAIT).until(() -> terminal(closedByHand).getStatus()
                    == TerminalStatus.TERMINAL_STATUS_COMPLETED);

            FlowRun run = call(c -> FlowServiceGrpc.newBlockingStub(c).runFlow(RunFlowRequest.newBuilder()
                    .setName("nightly").build())).getRun();
            await().atMost(WAIT).until(() -> !flowRun(run.getId()).getSessionId().isEmpty());
            String flowSession = flowRun(run.getId()).getSessionId();
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "session", "log", flowSession).out()
                    .contains("task typed into"));

            for (int i = 1; i <= BEFORE; i++) {
                send(receiver, note(i));
            }
            type(finisher, "quick task");
            // stop in the middle of the stream of deliveries
            await().atMost(WAIT).until(() -> delivered(receiver) >= 3);
            if (stop == Stop.SIGTERM) {
                daemon.destroy();
            } else {
                daemon.destroyForcibly();
            }
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));

            // while caod is down: one agent finishes its task, another's window is closed by a person
            String[] finisherWindow = windowOf(finisher);
            await().atMost(WAIT).until(() -> tmux(finisherWindow, "capture-pane", "-p").contains("QUICK-DONE"));
            tmux(windowOf(closedByHand), "kill-window");

            again = ServeProcessIT.serve(home, "daemon-2.log");
            ServeProcessIT.awaitServing(home, again);
            for (int i = BEFORE + 1; i <= BEFORE + AFTER; i++) {
                send(receiver, note(i));
            }

            // the flow run: picked up, ended with the agent's answer, its session closed after
            await().atMost(WAIT).until(() -> flowRun(run.getId()).getOutcome() != FlowRunOutcome.FLOW_RUN_OUTCOME_RUNNING);
            FlowRun ended = flowRun(run.getId());
            assertEquals(FlowRunOutcome.FLOW_RUN_OUTCOME_SUCCEEDED, ended.getOutcome(), ended.toString());
            assertTrue(ended.getResumed(), ended.toString());
            assertTrue(ended.getAnswerExcerpt().contains("NIGHTLY-DONE while caod restarted"), ended.toString());
            assertTrue(ServeProcessIT.caod(home, "flow", "runs", "nightly").out().contains("resumed after a restart"));
            await().atMost(WAIT).until(() -> ServeProcessIT.caod(home, "session", "list").out().lines()
                    .noneMatch(l -> l.startsWith(flowSession)));

            // the messages: every one delivered, in order, once; only a crash may re-send one, flagged
            await().atMost(WAIT).until(() -> delivered(receiver) == BEFORE + AFTER);
            List<InboxMessage> inbox = inbox(receiver);
            long resent = inbox.stream().filter(m -> m.getBody().startsWith("(re-sent")).count();
            assertTrue(resent <= (stop == Stop.SIGTERM ? 0 : 1), "re-sent: " + resent + "\n" + inbox);
            await().atMost(WAIT).until(() -> terminal(receiver).getStatus() == TerminalStatus.TERMINAL_STATUS_COMPLETED
                    && output(receiver, OutputMode.OUTPUT_MODE_FULL).contains("GOT " + FROM_A_PERSON
                            + note(BEFORE + AFTER)));
            String screen = output(receiver, OutputMode.OUTPUT_MODE_FULL);
            // after a crash, the message that was being typed comes again, flagged; if the crash cut its typing
            // short, the agent got the rest of the first try and the flagged copy as one input
            java.util.Set<String> resentNotes = inbox.stream().filter(m -> m.getBody().startsWith("(re-sent"))
                    .map(m -> m.getBody().substring(m.getBody().lastIndexOf("note-"))).collect(
                            java.util.stream.Collectors.toSet());
            int last = -1;
            for (int i = 1; i <= BEFORE + AFTER; i++) {
                if (resentNotes.contains(note(i))) {
                    assertTrue(Pattern.compile("(?s)GOT \\[message from[^\n]*\\(re-sent.{0,300}?" + note(i)).matcher(screen)
                            .find(), note(i)
                            + " (re-sent) answered:\n" + screen);
                    continue;
                }
                var seen = Pattern.compile("GOT " + Pattern.quote(FROM_A_PERSON + note(i)) + "$", Pattern.MULTILINE)
                        .matcher(screen).results().toList();
                assertEquals(1, seen.size(), note(i) + " answered once:\n" + screen);
                assertTrue(seen.getFirst().start() > last, note(i) + " in order:\n" + screen);
                last = seen.getFirst().start();
            }

            // the agent that finished while caod was down: its status is read from the screen again
            Terminal finished = terminal(finisher);
            assertEquals(TerminalLifecycle.TERMINAL_LIFECYCLE_RUNNING, finished.getLifecycle());
            assertEquals(TerminalStatus.TERMINAL_STATUS_COMPLETED, finished.getStatus(), finished.toString());
            assertEquals("QUICK-DONE", output(finisher, OutputMode.OUTPUT_MODE_LAST_ANSWER).strip());

            // the window closed by hand: exited, with its transcript
            await().atMost(WAIT).until(() -> terminal(closedByHand).getLifecycle()
                    == TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED);
            var shown = ServeProcessIT.caod(home, "terminal", "show", closedByHand);
            assertTrue(shown.out().contains("pane was gone"), shown.toString());
            assertTrue(output(closedByHand, OutputMode.OUTPUT_MODE_TRANSCRIPT).contains("QUICK-DONE"));
        } finally {
            daemon.destroyForcibly();
            if (again != null) {
                again.destroy();
                again.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    private static String note(int i) {
        return "note-%02d".formatted(i);
    }

    private String developer() {
        return call(c -> SessionServiceGrpc.newBlockingStub(c).createSession(CreateSessionRequest.newBuilder()
                .setProfile("developer").setProvider("demo").setWorkingDirectory(home.resolve("work").toString())
                .build())).getSupervisor().getId();
    }

    private void type(String id, String text) {
        call(c -> SessionServiceGrpc.newBlockingStub(c).sendInput(SendInputRequest.newBuilder().setTerminalId(id)
                .setText(text).build()));
    }

    private void send(String id, String body) {
        call(c -> MessagingServiceGrpc.newBlockingStub(c).sendMessage(SendMessageRequest.newBuilder()
                .setReceiverTerminalId(id).setBody(body).build()));
    }

    private List<InboxMessage> inbox(String id) {
        return call(c -> MessagingServiceGrpc.newBlockingStub(c).listInbox(ListInboxRequest.newBuilder()
                .setTerminalId(id).build())).getMessagesList();
    }

    private long delivered(String id) {
        return inbox(id).stream().filter(m -> m.getState() == MessageState.MESSAGE_STATE_DELIVERED).count();
    }

    private FlowRun flowRun(long id) {
        return call(c -> FlowServiceGrpc.newBlockingStub(c).listFlowRuns(ListFlowRunsRequest.newBuilder()
                .setFlowName("nightly").build())).getRunsList().stream().filter(r -> r.getId() == id).findFirst()
                .orElseThrow();
    }

    private Terminal terminal(String id) {
        return call(c -> SessionServiceGrpc.newBlockingStub(c).getTerminal(GetTerminalRequest.newBuilder()
                .setTerminalId(id).build())).getTerminal();
    }

    /** The terminal's tmux server (its session's own) and window id, read from the database while caod is down. */
    private String[] windowOf(String id) throws Exception {
        try (var db = new org.sqlite.JDBC().connect("jdbc:sqlite:" + home.resolve("state/caod.db"),
                new java.util.Properties());
                var q = db.prepareStatement("SELECT s.tmux_session, t.tmux_window FROM terminals t"
                        + " JOIN sessions s ON s.id = t.session_id WHERE t.ref = ?")) {
            q.setString(1, id);
            var rs = q.executeQuery();
            assertTrue(rs.next(), "terminal " + id + " is stored");
            return new String[] {TmuxServers.ofSession(ServeProcessIT.TMUX_SOCKET, rs.getString(1)), rs.getString(2)};
        }
    }

    private String output(String id, OutputMode mode) {
        return call(c -> SessionServiceGrpc.newBlockingStub(c).getOutput(GetOutputRequest.newBuilder()
                .setTerminalId(id).setMode(mode).build())).getText();
    }

    private <T> T call(Function<ManagedChannel, T> rpc) {
        try (DaemonClient client = DaemonClient.forSocket(ServeProcessIT.socket(home), Duration.ofSeconds(30))) {
            return rpc.apply(client.channel());
        }
    }

    /** A tmux command ({@code words}, then {@code -t <window>}) about one window of {@link #windowOf}; its output. */
    private static String tmux(String[] window, String... words) {
        List<String> args = new java.util.ArrayList<>(List.of(words));
        args.addAll(List.of("-t", window[1]));
        return TmuxServers.run(window[0], args.toArray(String[]::new)).output();
    }
}
