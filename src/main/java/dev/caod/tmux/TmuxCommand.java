package dev.caod.tmux;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds command lines for the control channel. Only caod's own tokens go this way (pane ids, key names, formats);
 * user and agent text never does: it travels through {@code load-buffer} on stdin (see {@link Tmux#paste}).
 */
final class TmuxCommand {

    private TmuxCommand() {
    }

    static String line(String... words) {
        return List.of(words).stream().map(TmuxCommand::quote).collect(Collectors.joining(" "));
    }

    /** Double-quoted for tmux's parser: backslash, quote, dollar (variable expansion) and tilde escaped. */
    static String quote(String word) {
        StringBuilder out = new StringBuilder(word.length() + 2).append('"');
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            switch (c) {
                case '\\', '"', '$', '~' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
