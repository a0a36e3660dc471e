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

    public static FlowEntity byName(String name) {
        return FlowEntity.<FlowEntity>find("name", name).firstResult();
    }

    public String filePath;

    /** Whether it is scheduled now: the override when set, else the file's `enabled`. */
    public boolean enabled = true;

    /** Set by enable/disable over the API or CLI; cleared when the file's own `enabled` changes. */
    public Boolean enabledOverride;

    /** The file's `enabled` when last read. */
    public Boolean fileEnabled;

    /** The last scheduled time that was handled; a start after downtime compares against it to catch up. */
    public Instant lastFireAt;

    public Instant createdAt;

    public Instant updatedAt;
}
