package dev.caod.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.api.v1.AssignRequest;
import dev.caod.api.v1.AwaitStatusRequest;
import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.GetMessageRequest;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.HandoffOutcome;
import dev.caod.api.v1.HandoffRequest;
import dev.caod.api.v1.MessageState;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.TerminalLifecycle;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.api.v1.WatchEventsRequest;
import dev.caod.cli.DaemonClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/** MessagingService's Handoff and Assign over the daemon's real socket: a script orchestrates like an agent. */
@QuarkusTest
class MessagingGrpcServiceTest {

    private DaemonClient client;
    private SessionServiceGrpc.SessionServiceBlockingStub sessions;
    private MessagingServiceGrpc.MessagingServiceBlockingStub messaging;
    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void connect() {
        client = DaemonClient.forSocket(CaodTestHome.paths().defaultSocket(), Duration.ofSeconds(120));
        sessions = client.stub(SessionServiceGrpc.newBlockingStub(client.channel()));
        messaging = client.stub(MessagingServiceGrpc.newBlockingStub(client.channel()));
    }

    @AfterEach
    void close() {
        created.forEach(id -> sessions.deleteSession(DeleteSessionRequest.newBuilder().setSessionId(id).build()));
        client.close();
    }

    private String session() {
        var s = sessions.createSession(CreateSessionRequest.newBuilder().setProfile("agent").setProvider("demo")
                .setWorkingDirectory(CaodTestHome.HOME.toString()).build());
        created.add(s.getSession().getId());
        return s.getSession().getId();
    }

    @Test
    void aScriptHandsOffAndAssignsWithoutAnAgentCaller() {
        String session = session();
        var done = messaging.handoff(HandoffRequest.newBuilder().setSessionId(session).setAgentProfile("agent")
                .setProvider("demo").setMessage("from a script").setTimeoutSeconds(60).build());
        assertEquals(HandoffOutcome.HANDOFF_OUTCOME_COMPLETED, done.getOutcome(), done.toString());
        assertEquals("DEMO-ECHO: from a script", done.getAnswer());
        await().atMost(Duration.ofSeconds(60)).until(() -> sessions.getTerminal(GetTerminalRequest.newBuilder()
                .setTerminalId(done.getWorkerTerminalId()).build()).getTerminal().getLifecycle()
                == TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED);

        var assigned = messaging.assign(AssignRequest.newBuilder().setSessionId(session).setAgentProfile("agent")
                .setProvider("demo").setMessage("an assigned job").build());
        assertEquals(MessageState.MESSAGE_STATE_PENDING, assigned.getTask().getState());
        await().atMost(Duration.ofSeconds(90)).until(() -> messaging.getMessage(GetMessageRequest.newBuilder()
                .setMessageId(assigned.getTask().getId()).build()).getMessage().getState()
                == MessageState.MESSAGE_STATE_DELIVERED);
        assertTrue(sessions.awaitStatus(AwaitStatusRequest.newBuilder().setTerminalId(assigned.getWorkerTerminalId())
                .addAnyOf(TerminalStatus.TERMINAL_STATUS_COMPLETED).setTimeout(com.google.protobuf.Duration
                        .newBuilder().setSeconds(60)).build()).getReached());

        // the session's log, replayed and then ended: the whole story, in order
        List<Event> log = new ArrayList<>();
        client.stub(DaemonServiceGrpc.newBlockingStub(client.channel())).watchEvents(WatchEventsRequest.newBuilder()
                .setSessionId(session).setAfterEventId(0).setReplayOnly(true).build()).forEachRemaining(log::add);
        List<String> story = log.stream().filter(e -> e.hasOrchestration() || e.hasHandoff())
                .map(e -> e.hasHandoff() ? "finished " + e.getHandoff().getOutcome().name()
                        : e.getOrchestration().getAction().name()).toList();
        assertEquals(List.of("ORCHESTRATION_ACTION_HANDOFF_STARTED", "ORCHESTRATION_ACTION_TASK_SENT",
                "finished HANDOFF_OUTCOME_COMPLETED", "ORCHESTRATION_ACTION_ASSIGNED"), story);
    }

    @Test
    void badRequestsNameTheField() {
        String session = session();
        StatusRuntimeException noProfile = assertThrows(StatusRuntimeException.class, () -> messaging.handoff(
                HandoffRequest.newBuilder().setSessionId(session).setMessage("x").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noProfile.getStatus().getCode());
        assertTrue(noProfile.getStatus().getDescription().startsWith("agent_profile:"));
        StatusRuntimeException nowhere = assertThrows(StatusRuntimeException.class, () -> messaging.assign(
                AssignRequest.newBuilder().setAgentProfile("agent").setMessage("x").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, nowhere.getStatus().getCode());
        assertTrue(nowhere.getStatus().getDescription().startsWith("session_id:"));
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> messaging.assign(
                AssignRequest.newBuilder().setCallerTerminalId("zzzzzzzz").setAgentProfile("agent").setMessage("x")
                        .build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        StatusRuntimeException tooLong = assertThrows(StatusRuntimeException.class, () -> messaging.handoff(
                HandoffRequest.newBuilder().setSessionId(session).setAgentProfile("agent").setMessage("x")
                        .setTimeoutSeconds(-1).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, tooLong.getStatus().getCode());
    }
}
