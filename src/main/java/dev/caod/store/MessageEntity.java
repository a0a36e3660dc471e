package dev.caod.store;

import java.time.Instant;

import dev.caod.inbox.MessageState;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A message in a terminal's inbox. */
@Entity
@Table(name = "messages")
public class MessageEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Null when a human or a tool sent it over gRPC. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "sender_id")
    public TerminalEntity sender;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "receiver_id")
    public TerminalEntity receiver;

    public String body;

    public MessageState state = MessageState.PENDING;

    /** Why delivery failed, in words the sender can act on. */
    public String failureReason;

    public int attempts;

    public Instant createdAt;

    public Instant updatedAt;

    public Instant deliveredAt;

    public static long countUndelivered() {
        return count("state in ?1", java.util.List.of(MessageState.PENDING, MessageState.DELIVERING));
    }
}
