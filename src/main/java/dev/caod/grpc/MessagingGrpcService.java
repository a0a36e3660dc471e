package dev.caod.grpc;

import java.time.Duration;
import java.util.stream.Collectors;

import com.google.protobuf.util.Durations;

import dev.caod.api.v1.AssignRequest;
import dev.caod.api.v1.AssignResponse;
import dev.caod.api.v1.GetMessageRequest;
import dev.caod.api.v1.GetMessageResponse;
import dev.caod.api.v1.HandoffRequest;
import dev.caod.api.v1.HandoffResponse;
import dev.caod.api.v1.InboxMessage;
import dev.caod.api.v1.ListInboxRequest;
import dev.caod.api.v1.ListInboxResponse;
import dev.caod.api.v1.MessageState;
import dev.caod.api.v1.MessagingService;
import dev.caod.api.v1.SendMessageRequest;
import dev.caod.api.v1.SendMessageResponse;
import dev.caod.inbox.InboxMessageView;
import dev.caod.inbox.InboxService;
import dev.caod.orchestration.Assignment;
import dev.caod.orchestration.HandoffResult;
import dev.caod.orchestration.Orchestrator;
import dev.caod.orchestration.WorkOrder;
import dev.caod.terminal.Protos;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;

/** gRPC face of orchestration: handoff, assign and the inbox, for tools and people, as agents have them over MCP. */
@GrpcService
public class MessagingGrpcService extends GrpcSupport implements MessagingService {

    private final InboxService inbox;
    private final Orchestrator orchestrator;

    public MessagingGrpcService(InboxService inbox, Orchestrator orchestrator) {
        this.inbox = inbox;
        this.orchestrator = orchestrator;
    }

    @Override
    @RunOnVirtualThread
    public Uni<HandoffResponse> handoff(HandoffRequest r) {
        // the Vert.x gRPC server does not tell a unary call that its client left (eclipse-vertx/vert.x#5562): a
        // gRPC handoff runs to its outcome or its timeout, and its worker is closed then
        return answer(() -> {
            HandoffResult result = orchestrator.handoff(new WorkOrder(r.getCallerTerminalId(), r.getSessionId(),
                    r.getAgentProfile(), r.getMessage(), r.getProvider(), r.getWorkingDirectory(), env(r.getEnvList()),
                    Duration.ofSeconds(r.getTimeoutSeconds())), () -> false);
            return HandoffResponse.newBuilder().setOutcome(dev.caod.api.v1.HandoffOutcome.valueOf("HANDOFF_OUTCOME_"
                    + result.outcome().name())).setWorkerTerminalId(result.workerId()).setAnswer(result.answer())
                    .setElapsed(Durations.fromNanos(result.elapsed().toNanos())).setDetail(result.detail()).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<AssignResponse> assign(AssignRequest r) {
        return answer(() -> {
            Assignment a = orchestrator.assign(new WorkOrder(r.getCallerTerminalId(), r.getSessionId(),
                    r.getAgentProfile(), r.getMessage(), r.getProvider(), r.getWorkingDirectory(), env(r.getEnvList()),
                    null));
            return AssignResponse.newBuilder().setWorkerTerminalId(a.workerId()).setTask(proto(a.task())).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<SendMessageResponse> sendMessage(SendMessageRequest r) {
        return answer(() -> SendMessageResponse.newBuilder().setMessage(proto(inbox.send(r.getSenderTerminalId(),
                r.getReceiverTerminalId(), r.getBody()))).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<ListInboxResponse> listInbox(ListInboxRequest r) {
        return answer(() -> ListInboxResponse.newBuilder().addAllMessages(inbox.inbox(r.getTerminalId(),
                r.getStatesList().stream().map(s -> dev.caod.inbox.MessageState.valueOf(s.name()
                        .substring("MESSAGE_STATE_".length()))).collect(Collectors.toSet()), r.getLimit()).stream()
                .map(MessagingGrpcService::proto).toList()).build());
    }

    @Override
    @RunOnVirtualThread
    public Uni<GetMessageResponse> getMessage(GetMessageRequest r) {
        return answer(() -> GetMessageResponse.newBuilder().setMessage(proto(inbox.message(r.getMessageId()))).build());
    }

    static InboxMessage proto(InboxMessageView m) {
        InboxMessage.Builder b = InboxMessage.newBuilder().setId(m.id()).setSenderTerminalId(m.senderId())
                .setReceiverTerminalId(m.receiverId()).setBody(m.body())
                .setState(MessageState.valueOf("MESSAGE_STATE_" + m.state().name()))
                .setFailureReason(m.failureReason()).setCreatedAt(Protos.ts(m.createdAt()));
        if (m.deliveredAt() != null) {
            b.setDeliveredAt(Protos.ts(m.deliveredAt()));
        }
        return b.build();
    }
}
