package dev.caod.orchestration;

import dev.caod.inbox.InboxMessageView;

/** A started assign: the worker (possibly still starting) and its task, queued in the worker's inbox. */
public record Assignment(String workerId, InboxMessageView task) {
}
