package dev.caod.terminal;

/**
 * The input most recently submitted to a terminal and what has been seen since. Armed by every submit, it keeps the
 * previous answer (still on screen right after new input) from reading as {@code completed}: a turn completes only
 * once the CLI has been seen working, or a new answer stands below the echo of the new input.
 *
 * @param input      the submitted text, or null before the first task
 * @param screenHash the screen right after submitting
 * @param sawBusy    a busy signal was seen since the submit
 */
public record Turn(String input, int screenHash, boolean sawBusy) {

    static final Turn NONE = new Turn(null, 0, false);

    boolean armed() {
        return input != null && !sawBusy;
    }

    Turn busySeen() {
        return new Turn(input, screenHash, true);
    }

    /** The first non-blank line of the input, which the CLI echoes into its transcript. */
    String echoKey() {
        if (input == null) {
            return null;
        }
        return input.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                .map(l -> l.length() > 40 ? l.substring(0, 40) : l).orElse(null);
    }
}
