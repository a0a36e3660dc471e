package dev.caod.service;

import java.util.List;

/** Runs a host program (systemctl, loginctl) from an argument array, never through a shell; tests fake it. */
@FunctionalInterface
public interface CommandRunner {

    /** Exit code 127 with the reason in {@code stderr} when the program cannot be started at all. */
    Outcome run(List<String> argv);

    record Outcome(int exitCode, String stdout, String stderr) {

        static final int NOT_STARTED = 127;

        public boolean ok() {
            return exitCode == 0;
        }

        /** What the program said, for an error message: its stderr, else its stdout, on one line. */
        public String said() {
            String text = stderr.isBlank() ? stdout : stderr;
            return text.strip().replaceAll("\\s*\\R\\s*", "; ");
        }
    }
}
