package dev.caod.inbox;

import java.time.Instant;

import dev.caod.store.MessageEntity;

/** A message as clients see it: a detached copy of its row. */
public record InboxMessageView(long id, String senderId, String receiverId, String body, MessageState state,
        String failureReason, Instant createdAt, Instant deliveredAt) {

    static InboxMessageView of(MessageEntity m) {
        return new InboxMessageView(m.id, m.sender == null ? "" : m.sender.ref, m.receiver.ref, m.body, m.state,
                m.failureReason == null ? "" : m.failureReason, m.createdAt, m.deliveredAt);
    }
}
