package dev.caod.grpc;

import dev.caod.api.v1.AwaitStatusRequest;
import dev.caod.api.v1.AwaitStatusResponse;
import dev.caod.api.v1.CloseTerminalRequest;
import dev.caod.api.v1.CloseTerminalResponse;
import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.CreateSessionResponse;
import dev.caod.api.v1.CreateTerminalRequest;
import dev.caod.api.v1.CreateTerminalResponse;
import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.DeleteSessionResponse;
import dev.caod.api.v1.ExplainStatusRequest;
import dev.caod.api.v1.ExplainStatusResponse;
import dev.caod.api.v1.GetOutputRequest;
import dev.caod.api.v1.GetOutputResponse;
import dev.caod.api.v1.GetSessionRequest;
import dev.caod.api.v1.GetSessionResponse;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.GetTerminalResponse;
import dev.caod.api.v1.ListSessionsRequest;
import dev.caod.api.v1.ListSessionsResponse;
import dev.caod.api.v1.ListTerminalsRequest;
import dev.caod.api.v1.ListTerminalsResponse;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SendInputResponse;
import dev.caod.api.v1.SendKeysRequest;
import dev.caod.api.v1.SendKeysResponse;
import dev.caod.api.v1.SessionService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** gRPC face of the terminal runtime; every RPC answers UNIMPLEMENTED until that capability lands. */
@GrpcService
public class SessionGrpcService implements SessionService {

    private static final NotYet LATER = new NotYet("SessionService", "the terminal runtime (agents in tmux windows, their status and input)");

    @Override
    public Uni<CreateSessionResponse> createSession(CreateSessionRequest request) {
        return LATER.answer("CreateSession");
    }

    @Override
    public Uni<ListSessionsResponse> listSessions(ListSessionsRequest request) {
        return LATER.answer("ListSessions");
    }

    @Override
    public Uni<GetSessionResponse> getSession(GetSessionRequest request) {
        return LATER.answer("GetSession");
    }

    @Override
    public Uni<DeleteSessionResponse> deleteSession(DeleteSessionRequest request) {
        return LATER.answer("DeleteSession");
    }

    @Override
    public Uni<CreateTerminalResponse> createTerminal(CreateTerminalRequest request) {
        return LATER.answer("CreateTerminal");
    }

    @Override
    public Uni<ListTerminalsResponse> listTerminals(ListTerminalsRequest request) {
        return LATER.answer("ListTerminals");
    }

    @Override
    public Uni<GetTerminalResponse> getTerminal(GetTerminalRequest request) {
        return LATER.answer("GetTerminal");
    }

    @Override
    public Uni<SendInputResponse> sendInput(SendInputRequest request) {
        return LATER.answer("SendInput");
    }

    @Override
    public Uni<SendKeysResponse> sendKeys(SendKeysRequest request) {
        return LATER.answer("SendKeys");
    }

    @Override
    public Uni<GetOutputResponse> getOutput(GetOutputRequest request) {
        return LATER.answer("GetOutput");
    }

    @Override
    public Uni<ExplainStatusResponse> explainStatus(ExplainStatusRequest request) {
        return LATER.answer("ExplainStatus");
    }

    @Override
    public Uni<AwaitStatusResponse> awaitStatus(AwaitStatusRequest request) {
        return LATER.answer("AwaitStatus");
    }

    @Override
    public Uni<CloseTerminalResponse> closeTerminal(CloseTerminalRequest request) {
        return LATER.answer("CloseTerminal");
    }
}
