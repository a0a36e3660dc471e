package dev.caod.tmux;

/** A tmux command failed or tmux could not be reached; the message says which command and why. */
public class TmuxException extends RuntimeException {

    public TmuxException(String message) {
        super(message);
    }

    public TmuxException(String message, Throwable cause) {
        super(message, cause);
    }
}
