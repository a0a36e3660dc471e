package dev.caod.store;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One orchestration = one tmux session. */
@Entity
@Table(name = "sessions")
public class SessionEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The public id clients use; see {@link Refs}. */
    public String ref;

    public String name;

    public String tmuxSession;

    public String workingDirectory;

    public Instant createdAt;

    public Instant closedAt;

    public static SessionEntity byRef(String ref) {
        return find("ref", ref).firstResult();
    }

    public static long countOpen() {
        return count("closedAt is null");
    }
}
