package dev.caod.store;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** What caod remembers about a flow beside its file: the file stays the definition. */
@Entity
@Table(name = "flows")
public class FlowEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public String filePath;

    public boolean enabled = true;

    /** The last scheduled time that was handled; a start after downtime compares against it to catch up. */
    public Instant lastFireAt;

    public Instant createdAt;

    public Instant updatedAt;
}
