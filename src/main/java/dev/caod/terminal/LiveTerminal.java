package dev.caod.terminal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import dev.caod.provider.ProviderRules;
import dev.caod.tmux.PaneRef;

/**
 * The in-memory side of a running terminal: where it is, its rules, the current turn, the last verdict, and the
 * scheduling state of its next look at the screen. Guarded by its own monitor.
 */
final class LiveTerminal {

    final long dbId;
    final String ref;
    final String sessionRef;
    final String provider;
    final PaneRef pane;
    final Path terminalDir;
    final ProviderRules.Compiled rules;

    Turn turn = Turn.NONE;
    Verdict verdict = Verdict.of(AgentStatus.UNKNOWN, "not evaluated yet");
    Snapshot lastSnapshot;
    Lifecycle lifecycle;
    Instant lastEvaluated = Instant.EPOCH;
    Instant createdAt = Instant.now();

    /** First output signal not yet looked at; null when nothing is pending. */
    Instant pendingSince;
    Instant lastSignal;
    ScheduledFuture<?> scheduled;
    boolean evaluating;
    boolean rerun;
    Instant lastDialogAnswer = Instant.EPOCH;
    /** Its screen is ready; its CLI has yet to list caod's MCP tools (providers with {@code ready_needs_mcp}). */
    volatile boolean awaitingMcp;
    /** Published as running once, whichever of screen and MCP comes last. */
    final java.util.concurrent.atomic.AtomicBoolean announcedRunning = new java.util.concurrent.atomic.AtomicBoolean();

    LiveTerminal(long dbId, String ref, String sessionRef, String provider, PaneRef pane, Path terminalDir,
            ProviderRules.Compiled rules, Lifecycle lifecycle) {
        this.dbId = dbId;
        this.ref = ref;
        this.sessionRef = sessionRef;
        this.provider = provider;
        this.pane = pane;
        this.terminalDir = terminalDir;
        this.rules = rules;
        this.lifecycle = lifecycle;
    }

    synchronized AgentStatus status() {
        return verdict.status();
    }
}
