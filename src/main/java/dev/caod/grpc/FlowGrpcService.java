package dev.caod.grpc;

import dev.caod.api.v1.DeleteFlowRequest;
import dev.caod.api.v1.DeleteFlowResponse;
import dev.caod.api.v1.DisableFlowRequest;
import dev.caod.api.v1.DisableFlowResponse;
import dev.caod.api.v1.EnableFlowRequest;
import dev.caod.api.v1.EnableFlowResponse;
import dev.caod.api.v1.GetFlowRequest;
import dev.caod.api.v1.GetFlowResponse;
import dev.caod.api.v1.ListFlowRunsRequest;
import dev.caod.api.v1.ListFlowRunsResponse;
import dev.caod.api.v1.ListFlowsRequest;
import dev.caod.api.v1.ListFlowsResponse;
import dev.caod.api.v1.PutFlowRequest;
import dev.caod.api.v1.PutFlowResponse;
import dev.caod.api.v1.RunFlowRequest;
import dev.caod.api.v1.RunFlowResponse;
import dev.caod.api.v1.ValidateFlowRequest;
import dev.caod.api.v1.ValidateFlowResponse;
import dev.caod.api.v1.FlowService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** gRPC face of flows; every RPC answers UNIMPLEMENTED until that capability lands. */
@GrpcService
public class FlowGrpcService implements FlowService {

    private static final NotYet LATER = new NotYet("FlowService", "flows (scheduled agent runs from the watched folder)");

    @Override
    public Uni<ListFlowsResponse> listFlows(ListFlowsRequest request) {
        return LATER.answer("ListFlows");
    }

    @Override
    public Uni<GetFlowResponse> getFlow(GetFlowRequest request) {
        return LATER.answer("GetFlow");
    }

    @Override
    public Uni<PutFlowResponse> putFlow(PutFlowRequest request) {
        return LATER.answer("PutFlow");
    }

    @Override
    public Uni<DeleteFlowResponse> deleteFlow(DeleteFlowRequest request) {
        return LATER.answer("DeleteFlow");
    }

    @Override
    public Uni<EnableFlowResponse> enableFlow(EnableFlowRequest request) {
        return LATER.answer("EnableFlow");
    }

    @Override
    public Uni<DisableFlowResponse> disableFlow(DisableFlowRequest request) {
        return LATER.answer("DisableFlow");
    }

    @Override
    public Uni<RunFlowResponse> runFlow(RunFlowRequest request) {
        return LATER.answer("RunFlow");
    }

    @Override
    public Uni<ListFlowRunsResponse> listFlowRuns(ListFlowRunsRequest request) {
        return LATER.answer("ListFlowRuns");
    }

    @Override
    public Uni<ValidateFlowResponse> validateFlow(ValidateFlowRequest request) {
        return LATER.answer("ValidateFlow");
    }
}
