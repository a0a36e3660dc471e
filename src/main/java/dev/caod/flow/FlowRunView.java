package dev.caod.flow;

import java.time.Instant;

import dev.caod.api.v1.FlowRun;
import dev.caod.api.v1.FlowRunOutcome;
import dev.caod.store.FlowRunEntity;
import dev.caod.terminal.Protos;

/** A flow run as clients see it: a detached copy of its row. */
public record FlowRunView(long id, String flowName, Instant scheduledAt, Instant startedAt, Instant endedAt,
        RunOutcome outcome, String sessionId, String error, String answerExcerpt, boolean manual,
        boolean resumed) {

    static FlowRunView of(FlowRunEntity r) {
        return new FlowRunView(r.id, r.flowName, r.scheduledAt, r.startedAt, r.endedAt, r.outcome,
                r.session == null ? "" : r.session.ref, r.error == null ? "" : r.error,
                r.answerExcerpt == null ? "" : r.answerExcerpt, r.manual, r.resumed);
    }

    public FlowRun proto() {
        FlowRun.Builder b = FlowRun.newBuilder().setId(id).setFlowName(flowName).setStartedAt(Protos.ts(startedAt))
                .setOutcome(FlowRunOutcome.valueOf("FLOW_RUN_OUTCOME_" + outcome.name())).setSessionId(sessionId)
                .setError(error).setAnswerExcerpt(answerExcerpt).setManual(manual).setResumed(resumed);
        if (scheduledAt != null) {
            b.setScheduledAt(Protos.ts(scheduledAt));
        }
        if (endedAt != null) {
            b.setEndedAt(Protos.ts(endedAt));
        }
        return b.build();
    }
}
