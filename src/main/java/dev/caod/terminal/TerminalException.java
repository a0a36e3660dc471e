package dev.caod.terminal;

/** A terminal request that cannot be done; {@link Kind} maps to a gRPC status, the message says what to do. */
public class TerminalException extends RuntimeException {

    public enum Kind { NOT_FOUND, INVALID, PRECONDITION, UNAVAILABLE }

    private final Kind kind;

    public TerminalException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static TerminalException notFound(String what, String id) {
        return new TerminalException(Kind.NOT_FOUND, "no " + what + " with id `" + id + "`; list them with `caod "
                + what + " list`");
    }
}
