package dev.caod.cli;

import io.grpc.Status;

/** The exit codes of every {@code caod} command; docs/cli.md lists them for scripts. */
public final class ExitCode {

    public static final int OK = 0;
    /** The command ran and its answer is "no": e.g. doctor found a problem, a check failed. */
    public static final int FAILURE = 1;
    /** Bad arguments or options (picocli's own code for usage errors). */
    public static final int USAGE = 2;
    /** The daemon is not running or cannot be reached. */
    public static final int DAEMON_UNAVAILABLE = 3;
    /** The named session, terminal, flow, profile or message does not exist. */
    public static final int NOT_FOUND = 4;
    /** The daemon refused the request: an invalid argument, an existing name, a state that forbids it. */
    public static final int REJECTED = 5;
    /** The operation is not available in this version of the daemon. */
    public static final int UNIMPLEMENTED = 6;
    /** A wait or call ran out of time. */
    public static final int TIMEOUT = 7;
    /** Not allowed: e.g. a TCP call without the right token. */
    public static final int DENIED = 8;
    /** {@code caod serve} refused to start (another daemon runs, folders unusable). */
    public static final int SERVE_REFUSED = 10;

    private ExitCode() {
    }

    public static int of(Status.Code code) {
        return switch (code) {
            case OK -> OK;
            case NOT_FOUND -> NOT_FOUND;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, ALREADY_EXISTS, OUT_OF_RANGE, ABORTED -> REJECTED;
            case UNIMPLEMENTED -> UNIMPLEMENTED;
            case DEADLINE_EXCEEDED -> TIMEOUT;
            case UNAVAILABLE -> DAEMON_UNAVAILABLE;
            case UNAUTHENTICATED, PERMISSION_DENIED -> DENIED;
            default -> FAILURE;
        };
    }
}
