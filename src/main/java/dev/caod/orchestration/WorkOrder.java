package dev.caod.orchestration;

import java.time.Duration;
import java.util.Map;

import dev.caod.terminal.TerminalException;

/**
 * What a handoff or an assign asks for: a worker with this profile, in the caller's session (or the named one when a
 * person or a tool asks), and its task.
 *
 * @param callerId the terminal asking; null or empty for a person or a tool
 * @param sessionId the session to start the worker in when there is no caller
 * @param timeout how long a handoff waits for the answer (ignored by assign)
 */
public record WorkOrder(String callerId, String sessionId, String profile, String task, String provider,
        String workingDirectory, Map<String, String> env, Duration timeout) {

    /** SPEC §4: a handoff waits ten minutes unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
    /** The longest wait caod accepts; agents' CLIs are configured to let a tool call run this long. */
    public static final Duration MAX_TIMEOUT = dev.caod.provider.Provider.LONGEST_TOOL_CALL;

    public WorkOrder {
        callerId = blankToNull(callerId);
        sessionId = blankToNull(sessionId);
        provider = blankToNull(provider);
        workingDirectory = blankToNull(workingDirectory);
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null || timeout.isZero() ? DEFAULT_TIMEOUT : timeout;
        if (profile == null || profile.isBlank()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "agent_profile: required (e.g. developer;"
                    + " `caod profile list` shows them)");
        }
        if (task == null || task.isBlank()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "message: required (the worker's task)");
        }
        if (timeout.isNegative() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new TerminalException(TerminalException.Kind.INVALID, "timeout_seconds: " + timeout.toSeconds()
                    + " is out of range; use 1 to " + MAX_TIMEOUT.toSeconds() + " (0 = " + DEFAULT_TIMEOUT.toSeconds()
                    + ")");
        }
        if (callerId == null && sessionId == null) {
            throw new TerminalException(TerminalException.Kind.INVALID, "session_id: required when no caller terminal"
                    + " is given (the worker needs a session to start in)");
        }
    }

    public boolean hasCaller() {
        return callerId != null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
