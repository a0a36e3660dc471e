package dev.caod.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.api.v1.AwaitStatusRequest;
import dev.caod.api.v1.CloseTerminalRequest;
import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.ExplainStatusRequest;
import dev.caod.api.v1.GetOutputRequest;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.ListTerminalsRequest;
import dev.caod.api.v1.OutputMode;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SendKeysRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.SessionServiceGrpc.SessionServiceBlockingStub;
import dev.caod.api.v1.TerminalLifecycle;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.cli.DaemonClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/** SessionService over the daemon's real Unix socket, driving a demo agent in real tmux. */
@QuarkusTest
class SessionGrpcServiceTest {

    private DaemonClient client;
    private SessionServiceBlockingStub sessions;

    @BeforeEach
    void connect() {
        client = DaemonClient.forSocket(CaodTestHome.paths().defaultSocket(), Duration.ofSeconds(90));
        sessions = client.stub(SessionServiceGrpc.newBlockingStub(client.channel()));
    }

    @AfterEach
    void close() {
        client.close();
    }

    private boolean await(String id, TerminalStatus status) {
        return sessions.awaitStatus(AwaitStatusRequest.newBuilder().setTerminalId(id).addAnyOf(status)
                .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build()).getReached();
    }

    @Test
    void aDemoAgentRunsATaskThroughTheApi() {
        var created = sessions.createSession(CreateSessionRequest.newBuilder().setProfile("agent").setProvider("demo")
                .setWorkingDirectory(CaodTestHome.HOME.toString()).build());
        String id = created.getSupervisor().getId();
        try {
            assertTrue(await(id, TerminalStatus.TERMINAL_STATUS_IDLE));
            var sent = sessions.sendInput(SendInputRequest.newBuilder().setTerminalId(id).setText("hi via grpc").build());
            assertEquals(0, sent.getResubmits());
            assertTrue(await(id, TerminalStatus.TERMINAL_STATUS_COMPLETED));
            var out = sessions.getOutput(GetOutputRequest.newBuilder().setTerminalId(id).build());
            assertEquals("DEMO-ECHO: hi via grpc", out.getText());
            assertEquals(OutputMode.OUTPUT_MODE_LAST_ANSWER, out.getMode());
            var explained = sessions.explainStatus(ExplainStatusRequest.newBuilder().setTerminalId(id).build());
            assertEquals(TerminalStatus.TERMINAL_STATUS_COMPLETED, explained.getStatus());
            assertEquals("demo", explained.getProvider());
            assertTrue(explained.getScreen().contains("DEMO-ECHO: hi via grpc"));
            assertTrue(sessions.listTerminals(ListTerminalsRequest.newBuilder()
                    .setSessionId(created.getSession().getId()).build()).getTerminalsList().stream()
                    .anyMatch(t -> t.getId().equals(id)));

            StatusRuntimeException badKey = assertThrows(StatusRuntimeException.class, () -> sessions.sendKeys(
                    SendKeysRequest.newBuilder().setTerminalId(id).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, badKey.getStatus().getCode());

            var closed = sessions.closeTerminal(CloseTerminalRequest.newBuilder().setTerminalId(id).build());
            assertEquals(TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED, closed.getTerminal().getLifecycle());
            assertTrue(sessions.getOutput(GetOutputRequest.newBuilder().setTerminalId(id)
                    .setMode(OutputMode.OUTPUT_MODE_TRANSCRIPT).build()).getText().contains("hi via grpc"));
        } finally {
            sessions.deleteSession(DeleteSessionRequest.newBuilder().setSessionId(created.getSession().getId()).build());
        }
    }

    @Test
    void unknownIdsAreNotFoundAndBadRequestsNameTheField() {
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> sessions.getTerminal(GetTerminalRequest.newBuilder().setTerminalId("zzzzzzzz").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("zzzzzzzz"));
        StatusRuntimeException noProfile = assertThrows(StatusRuntimeException.class,
                () -> sessions.createSession(CreateSessionRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noProfile.getStatus().getCode());
        assertTrue(noProfile.getStatus().getDescription().startsWith("profile"));
    }
}
