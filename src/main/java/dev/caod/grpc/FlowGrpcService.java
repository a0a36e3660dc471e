package dev.caod.grpc;

import dev.caod.api.v1.DeleteFlowRequest;
import dev.caod.api.v1.DeleteFlowResponse;
import dev.caod.api.v1.DisableFlowRequest;
import dev.caod.api.v1.DisableFlowResponse;
import dev.caod.api.v1.EnableFlowRequest;
import dev.caod.api.v1.EnableFlowResponse;
import dev.caod.api.v1.Flow;
import dev.caod.api.v1.FlowState;
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
import dev.caod.flow.FlowDefinition;
import dev.caod.flow.FlowRunView;
import dev.caod.flow.FlowService;
import dev.caod.terminal.Protos;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;

/** gRPC face of flows: thin over {@link FlowService}. */
@GrpcService
public class FlowGrpcService extends GrpcSupport implements dev.caod.api.v1.FlowService {

    private final FlowService flows;

    public FlowGrpcService(FlowService flows) {
        this.flows = flows;
    }

    @Override
    @RunOnVirtualThread
    public Uni<ListFlowsResponse> listFlows(ListFlowsRequest r) {
        return answer(() -> ListFlowsResponse.newBuilder().addAllFlows(flows.list(r.getIncludeInvalid()).stream()
                .map(FlowGrpcService::proto).toList()).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<GetFlowResponse> getFlow(GetFlowRequest r) {
        return answer(() -> GetFlowResponse.newBuilder().setFlow(proto(flows.get(r.getName()))).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<PutFlowResponse> putFlow(PutFlowRequest r) {
        return answer(() -> PutFlowResponse.newBuilder().setFlow(proto(flows.put(r.getName(), r.getContent(),
                r.getOverwrite()))).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<DeleteFlowResponse> deleteFlow(DeleteFlowRequest r) {
        return answer(() -> {
            flows.delete(r.getName());
            return DeleteFlowResponse.getDefaultInstance();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<EnableFlowResponse> enableFlow(EnableFlowRequest r) {
        return answer(() -> EnableFlowResponse.newBuilder().setFlow(proto(flows.setEnabled(r.getName(), true)))
                .build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<DisableFlowResponse> disableFlow(DisableFlowRequest r) {
        return answer(() -> DisableFlowResponse.newBuilder().setFlow(proto(flows.setEnabled(r.getName(), false)))
                .build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<RunFlowResponse> runFlow(RunFlowRequest r) {
        return answer(() -> RunFlowResponse.newBuilder().setRun(flows.run(r.getName(), r.getWait()).proto()).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<ListFlowRunsResponse> listFlowRuns(ListFlowRunsRequest r) {
        return answer(() -> ListFlowRunsResponse.newBuilder().addAllRuns(flows.runs(r.getFlowName(), r.getLimit(),
                r.getBeforeId()).stream().map(FlowRunView::proto).toList()).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<ValidateFlowResponse> validateFlow(ValidateFlowRequest r) {
        return answer(() -> {
            var parsed = flows.validate(r.getContent(), r.getFileName());
            var b = ValidateFlowResponse.newBuilder().setOk(parsed.ok()).addAllProblems(parsed.problems().stream()
                    .map(ProfileGrpcService::proto).toList());
            if (parsed.ok()) {
                b.setFlow(definition(parsed.flow()).setState(parsed.flow().enabled() ? FlowState.FLOW_STATE_ENABLED
                        : FlowState.FLOW_STATE_DISABLED));
            }
            return b.build();
        });
    }

    static Flow proto(FlowService.FlowView v) {
        Flow.Builder b = v.entry().valid() ? definition(v.entry().flow())
                : Flow.newBuilder().setName(v.entry().name()).setFilePath(v.entry().file().toString());
        b.setEnabled(v.enabled()).setState(!v.entry().valid() ? FlowState.FLOW_STATE_INVALID
                : v.enabled() ? FlowState.FLOW_STATE_ENABLED : FlowState.FLOW_STATE_DISABLED)
                .setError(v.entry().valid() ? "" : v.entry().error());
        v.nextRun().ifPresent(t -> b.setNextRunAt(Protos.ts(t)));
        v.lastRun().ifPresent(run -> b.setLastRun(run.proto()));
        return b.build();
    }

    private static Flow.Builder definition(FlowDefinition f) {
        return Flow.newBuilder().setName(f.name()).setFilePath(f.file()).setSchedule(f.scheduleAsWritten())
                .setTimezone(f.zone() == null ? "" : f.zone().getId()).setAgentProfile(f.agentProfile())
                .setProvider(f.provider() == null ? "" : f.provider()).addAllScript(f.script())
                .setWorkingDirectory(f.workingDirectory() == null ? "" : f.workingDirectory())
                .setEnabled(f.enabled()).setTimeout(com.google.protobuf.util.Durations.fromMillis(f.timeout()
                        .toMillis())).setPromptTemplate(f.promptTemplate());
    }
}
