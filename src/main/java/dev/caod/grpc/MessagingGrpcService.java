package dev.caod.grpc;

import java.util.stream.Collectors;

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
import dev.caod.terminal.Protos;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;

/** gRPC face of messaging: the inbox is served; handoff and assign answer UNIMPLEMENTED until orchestration lands. */
@GrpcService
public class MessagingGrpcService extends GrpcSupport implements MessagingService {

    private static final NotYet LATER = new NotYet("MessagingService", "orchestration (handoff and assign)");

    private final InboxService inbox;

    public MessagingGrpcService(InboxService inbox) {
        this.inbox = inbox;
    }

    @Override
    public Uni<HandoffResponse> handoff(HandoffRequest request) {
        return LATER.answer("Handoff");
    }

    @Override
    public Uni<AssignResponse> assign(AssignRequest request) {
        return LATER.answer("Assign");
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
