package dev.caod.service;

/** A service operation that could not be done; the message names the problem and the fix. */
public final class ServiceException extends RuntimeException {

    /** What kind of "no" it is, so the CLI can map it to its exit codes. */
    public enum Reason {
        /** the host cannot do it (no systemd user manager, systemctl failed, no launcher found) */
        FAILED,
        /** refused: it would overwrite or remove a unit file caod did not write */
        REFUSED,
        /** there is no caod unit to act on */
        NOT_INSTALLED
    }

    private final Reason reason;

    public ServiceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
