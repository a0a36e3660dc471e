package dev.caod.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import dev.caod.provider.ProviderRules;

/**
 * Cuts the last answer out of a pane's history (scrollback plus screen, wrapped lines joined), whole, however many
 * screens it spans: the block that starts at the provider's answer marker after the last input echo and runs until a
 * stop line or a line that is no longer indented as a continuation.
 */
public final class AnswerExtractor {

    private AnswerExtractor() {
    }

    /** The answer text, markers and continuation indent removed; empty when there is none. */
    public static String lastAnswer(ProviderRules.Compiled rules, List<String> history, String lastInput) {
        int start = StatusEngine.lastAnswerRow(rules, history, new Turn(lastInput, 0, true)).row();
        if (start < 0) {
            return "";
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
        while (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        return String.join("\n", out);
    }
}
