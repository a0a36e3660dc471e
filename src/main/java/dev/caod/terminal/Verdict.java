package dev.caod.terminal;

import java.util.List;

/**
 * A status with the reason for it: the rule that decided (e.g. {@code demo.busy}, {@code shell-foreground}) and the
 * screen lines it matched, for {@code caod terminal explain}.
 */
public record Verdict(AgentStatus status, String rule, List<Match> matches) {

    /** A matched screen line: 1-based row, its text, the pattern. */
    public record Match(int row, String text, String pattern) {
    }

    static Verdict of(AgentStatus status, String rule) {
        return new Verdict(status, rule, List.of());
    }
}
