package dev.caod.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.caod.CaodTestHome;
import dev.caod.api.v1.DeleteFlowRequest;
import dev.caod.api.v1.FlowRunOutcome;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.FlowState;
import dev.caod.api.v1.GetFlowRequest;
import dev.caod.api.v1.ListFlowRunsRequest;
import dev.caod.api.v1.ListFlowsRequest;
import dev.caod.api.v1.PutFlowRequest;
import dev.caod.api.v1.RunFlowRequest;
import dev.caod.api.v1.Severity;
import dev.caod.api.v1.ValidateFlowRequest;
import dev.caod.cli.DaemonClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;

/** FlowService over the daemon's real socket: files written, validated, run and removed through the API. */
@QuarkusTest
class FlowGrpcServiceTest {

    private static final String FLOW = "---\nname: api-flow\nschedule: \"0 3 * * *\"\nagent_profile: agent\n"
            + "provider: demo\nworking_directory: " + CaodTestHome.HOME + "\n---\nhello from the api\n";

    private DaemonClient client;
    private FlowServiceGrpc.FlowServiceBlockingStub flows;

    @BeforeEach
    void connect() {
        client = DaemonClient.forSocket(CaodTestHome.paths().defaultSocket(), Duration.ofSeconds(120));
        flows = client.stub(FlowServiceGrpc.newBlockingStub(client.channel()));
    }

    @AfterEach
    void close() {
        try {
            flows.deleteFlow(DeleteFlowRequest.newBuilder().setName("api-flow").build());
        } catch (StatusRuntimeException gone) {
            // already deleted by the test
        }
        client.close();
    }

    @Test
    void aFlowIsPutValidatedRunAndDeletedThroughTheApi() throws Exception {
        var checked = flows.validateFlow(ValidateFlowRequest.newBuilder().setContent(FLOW).setFileName("x.md").build());
        assertTrue(checked.getOk(), checked.toString());
        assertEquals("0 3 * * *", checked.getFlow().getSchedule());

        var put = flows.putFlow(PutFlowRequest.newBuilder().setName("api-flow").setContent(FLOW).build());
        assertEquals(FlowState.FLOW_STATE_ENABLED, put.getFlow().getState());
        assertTrue(put.getFlow().hasNextRunAt(), put.toString());
        assertTrue(Files.exists(CaodTestHome.paths().configDir().resolve("flows/api-flow.md")));
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class, () -> flows
                .putFlow(PutFlowRequest.newBuilder().setName("api-flow").setContent(FLOW).build())).getStatus()
                .getCode(), "no silent overwrite");

        var run = flows.runFlow(RunFlowRequest.newBuilder().setName("api-flow").setWait(true).build()).getRun();
        assertEquals(FlowRunOutcome.FLOW_RUN_OUTCOME_SUCCEEDED, run.getOutcome(), run.toString());
        assertEquals("DEMO-ECHO: hello from the api", run.getAnswerExcerpt());
        assertEquals(run.getId(), flows.listFlowRuns(ListFlowRunsRequest.newBuilder().setFlowName("api-flow").build())
                .getRuns(0).getId());
        assertEquals(run.getId(), flows.getFlow(GetFlowRequest.newBuilder().setName("api-flow").build()).getFlow()
                .getLastRun().getId());

        flows.deleteFlow(DeleteFlowRequest.newBuilder().setName("api-flow").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> flows.listFlows(ListFlowsRequest.newBuilder()
                .setIncludeInvalid(true).build()).getFlowsList().stream().noneMatch(f -> f.getName().equals("api-flow")));
        assertEquals(1, flows.listFlowRuns(ListFlowRunsRequest.newBuilder().setFlowName("api-flow").build())
                .getRunsCount(), "the history outlives the file");
    }

    @Test
    void badFlowsAndUnknownNamesGetTheRightCodes() {
        var bad = flows.validateFlow(ValidateFlowRequest.newBuilder().setFileName("bad.md")
                .setContent("---\nname: bad\nschedule: \"* * *\"\nagent_profile: agent\n---\nx\n").build());
        assertFalse(bad.getOk());
        assertEquals(3, bad.getProblems(0).getLine());
        assertEquals("schedule", bad.getProblems(0).getField());
        assertEquals(Severity.SEVERITY_ERROR, bad.getProblems(0).getSeverity());
        StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class, () -> flows.putFlow(
                PutFlowRequest.newBuilder().setName("bad").setContent("---\nname: bad\n---\n").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());
        StatusRuntimeException traversal = assertThrows(StatusRuntimeException.class, () -> flows.putFlow(
                PutFlowRequest.newBuilder().setName("../escape").setContent(FLOW).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, traversal.getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> flows.getFlow(
                GetFlowRequest.newBuilder().setName("nobody").build())).getStatus().getCode());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> flows.runFlow(
                RunFlowRequest.newBuilder().setName("nobody").build())).getStatus().getCode());
    }
}
