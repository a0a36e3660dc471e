package dev.caod.demo;

import java.nio.file.Path;

/** A script that cannot be used: the message names the file and the problem. */
public final class ScriptException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public ScriptException(Path file, String problem) {
        super("script " + file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    public String problem() {
        return problem;
    }
}
