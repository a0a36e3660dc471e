package dev.caod.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import dev.caod.provider.ProviderRules;

/**
 * Cuts the last answer out of a pane's history (scrollback plus screen, wrapped lines joined), whole, however many
 * screens it spans: the block that starts at the provider's answer marker after the last input echo and runs until a
 * stop line or a line that is no longer indented as a continuation; or, for CLIs that mark only where an answer ends,
 * the text between that end line and the nearest input echo or tool line above it.
 */
public final class AnswerExtractor {

    private AnswerExtractor() {
    }

    /** The answer text, markers and continuation indent removed; empty when there is none. */
    public static String lastAnswer(ProviderRules.Compiled rules, List<String> history, String lastInput) {
        Turn turn = new Turn(lastInput, 0, true);
        int start = StatusEngine.lastAnswerRow(rules, history, turn).row();
        if (start < 0) {
            return "";
        }
        if (rules.answerEnd != null) {
            return above(rules, history, start, StatusEngine.echoRow(rules, history, turn));
        }
        List<String> out = new ArrayList<>();
        Matcher first = rules.answerStart.matcher(history.get(start));
        first.find();
        out.add(history.get(start).substring(first.end()).stripTrailing());
        for (int i = start + 1; i < history.size(); i++) {
            String line = history.get(i);
            if (rules.answerStop.stream().anyMatch(p -> p.matcher(line).find())) {
                break;
            }
            if (line.isBlank()) {
                out.add("");
            } else if (line.startsWith(rules.continuation)) {
                out.add(line.substring(rules.continuation.length()).stripTrailing());
            } else {
                break;
            }
        }
        return joinTrimmed(out);
    }

    /** The lines between the end line and the echo or the nearest {@code after} line above it. */
    private static String above(ProviderRules.Compiled rules, List<String> history, int end, int echo) {
        int from = end;
        while (from - 1 > echo && !startsBelow(rules, history.get(from - 1))) {
            from--;
        }
        List<String> out = new ArrayList<>();
        for (String line : history.subList(from, end)) {
            out.add((line.startsWith(rules.continuation) ? line.substring(rules.continuation.length()) : line)
                    .stripTrailing());
        }
        while (!out.isEmpty() && out.getFirst().isEmpty()) {
            out.removeFirst();
        }
        return joinTrimmed(out);
    }

    private static boolean startsBelow(ProviderRules.Compiled rules, String line) {
        return rules.answerAfter.stream().anyMatch(p -> p.matcher(line).find())
                || (rules.inputEcho != null && rules.inputEcho.matcher(line).find());
    }

    private static String joinTrimmed(List<String> out) {
        while (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        return String.join("\n", out);
    }
}
