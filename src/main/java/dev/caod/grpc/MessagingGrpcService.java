package dev.caod.grpc;

import dev.caod.api.v1.AssignRequest;
import dev.caod.api.v1.AssignResponse;
import dev.caod.api.v1.GetMessageRequest;
import dev.caod.api.v1.GetMessageResponse;
import dev.caod.api.v1.HandoffRequest;
import dev.caod.api.v1.HandoffResponse;
import dev.caod.api.v1.ListInboxRequest;
import dev.caod.api.v1.ListInboxResponse;
import dev.caod.api.v1.SendMessageRequest;
import dev.caod.api.v1.SendMessageResponse;
import dev.caod.api.v1.MessagingService;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/** gRPC face of orchestration; every RPC answers UNIMPLEMENTED until that capability lands. */
@GrpcService
public class MessagingGrpcService implements MessagingService {

    private static final NotYet LATER = new NotYet("MessagingService", "orchestration (handoff, assign and the inbox)");

    @Override
    public Uni<HandoffResponse> handoff(HandoffRequest request) {
        return LATER.answer("Handoff");
    }

    @Override
    public Uni<AssignResponse> assign(AssignRequest request) {
        return LATER.answer("Assign");
    }

    @Override
    public Uni<SendMessageResponse> sendMessage(SendMessageRequest request) {
        return LATER.answer("SendMessage");
    }

    @Override
    public Uni<ListInboxResponse> listInbox(ListInboxRequest request) {
        return LATER.answer("ListInbox");
    }

    @Override
    public Uni<GetMessageResponse> getMessage(GetMessageRequest request) {
        return LATER.answer("GetMessage");
    }
}
