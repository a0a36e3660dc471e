package dev.caod.store;

import java.time.Instant;

import dev.caod.flow.RunOutcome;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One run of a flow, scheduled or manual. */
@Entity
@Table(name = "flow_runs")
public class FlowRunEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "flow_id")
    public FlowEntity flow;

    /** Kept as text so the history survives the flow file's removal. */
    public String flowName;

    /** Null for a manual run. */
    public Instant scheduledAt;

    public Instant startedAt;

    public Instant endedAt;

    public RunOutcome outcome = RunOutcome.RUNNING;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "session_id")
    public SessionEntity session;

    public String error;

    public String answerExcerpt;

    public boolean manual;

    /** The run outlived a restart of caod, which picked its agent's result up. */
    public boolean resumed;
}
