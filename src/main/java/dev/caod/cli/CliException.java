package dev.caod.cli;

/** A failure the client reports as one clear line on stderr, with the exit code scripts can test. */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
