package dev.caod.inbox;

/** An inbox message's way: pending, then delivering (marked before typing), then delivered, or failed. */
public enum MessageState {
    PENDING, DELIVERING, DELIVERED, FAILED
}
