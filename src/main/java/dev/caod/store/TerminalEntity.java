package dev.caod.store;

import java.time.Instant;

import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Lifecycle;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One agent = one CLI in one tmux window. */
@Entity
@Table(name = "terminals")
public class TerminalEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String ref;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "session_id")
    public SessionEntity session;

    /** The terminal whose agent started this one; null when a human or a tool did. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "caller_id")
    public TerminalEntity caller;

    public String tmuxWindow;

    public String provider;

    public String profile;

    public String workingDirectory;

    public Lifecycle lifecycle = Lifecycle.STARTING;

    public AgentStatus status = AgentStatus.UNKNOWN;

    public Instant statusSince;

    public Instant createdAt;

    public Instant lastActiveAt;

    public Instant exitedAt;

    /** The tmux pane id ({@code %7}); the window id is in {@link #tmuxWindow}. */
    public String tmuxPane;

    public String statusRule;

    public String exitReason;

    public String transcriptPath;

    public String lastInput;

    /** SHA-256 (hex) of the terminal's MCP bearer token. */
    public String mcpTokenHash;

    public static TerminalEntity byRef(String ref) {
        return find("ref", ref).firstResult();
    }

    public static long countLive() {
        return count("lifecycle <> ?1", Lifecycle.EXITED);
    }
}
