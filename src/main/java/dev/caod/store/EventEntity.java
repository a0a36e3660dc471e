package dev.caod.store;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One entry of the event log that WatchEvents replays and the dashboard's timeline reads. */
@Entity
@Table(name = "events")
public class EventEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant at;

    public String kind;

    public String sessionRef;

    public String terminalRef;

    /** The whole event as protobuf JSON: readable with sqlite3, and new fields need no migration. */
    public String payload;
}
