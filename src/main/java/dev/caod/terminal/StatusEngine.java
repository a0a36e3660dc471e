package dev.caod.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caod.provider.ProviderRules;

/**
 * Decides a terminal's status from one {@link Snapshot}, the provider's rules and the current {@link Turn}. Pure: no
 * I/O, so every rule is tested on recorded screens. The order is the safety argument: a dead pane or a shell in the
 * foreground is an error whatever the screen says; a dialog beats everything else on screen; any busy signal (screen
 * or title) beats a visible prompt, so a CLI that still works is never reported done.
 */
public final class StatusEngine {

    private static final Set<String> SHELLS = Set.of("bash", "sh", "zsh", "fish", "dash", "ksh", "tcsh", "csh");

    private StatusEngine() {
    }

    public static Verdict evaluate(ProviderRules.Compiled rules, Snapshot snapshot, Turn turn) {
        String p = rules.raw.provider();
        if (snapshot.pane().isGone()) {
            return Verdict.of(AgentStatus.ERROR, "pane-gone (its tmux window was closed or the tmux server stopped)");
        }
        if (snapshot.pane().dead()) {
            return Verdict.of(AgentStatus.ERROR, "pane-dead (exit status " + snapshot.pane().deadStatus() + ")");
        }
        if (SHELLS.contains(snapshot.pane().currentCommand())) {
            return Verdict.of(AgentStatus.ERROR, "shell-foreground (" + snapshot.pane().currentCommand() + ")");
        }
        List<String> screen = snapshot.screen();
        int from = regionStart(screen, rules.bottomLines);
        List<Verdict.Match> m = matches(screen, from, rules.waiting);
        if (!m.isEmpty()) {
            return new Verdict(AgentStatus.WAITING_USER_ANSWER, p + ".waiting", m);
        }
        m = matches(screen, from, rules.busy);
        if (!m.isEmpty()) {
            return new Verdict(AgentStatus.PROCESSING, p + ".busy", m);
        }
        for (Pattern title : rules.busyTitle) {
            if (title.matcher(snapshot.pane().title()).find()) {
                return new Verdict(AgentStatus.PROCESSING, p + ".busy_title",
                        List.of(new Verdict.Match(0, snapshot.pane().title(), title.pattern())));
            }
        }
        List<Verdict.Match> prompt = matches(screen, from, rules.idle);
        if (!prompt.isEmpty()) {
            AnswerRow answer = lastAnswerRow(rules, screen, turn);
            int echo = echoRow(rules, screen, turn);
            if (echo >= 0 && answer.row() < 0 && snapshot.contentHash() != turn.screenHash()) {
                // back at its prompt with an error, and no answer, below the task: the task failed
                List<Verdict.Match> failed = matches(screen, echo + 1, rules.error);
                if (!failed.isEmpty()) {
                    return new Verdict(AgentStatus.ERROR, p + ".error-after-task", failed);
                }
            }
            // an armed turn accepts only an answer below the new input's echo, on a screen that changed since
            boolean fresh = answer.row() >= 0 && (!turn.armed()
                    || (answer.belowEcho() && snapshot.contentHash() != turn.screenHash()));
            if (fresh) {
                List<Verdict.Match> both = new ArrayList<>(prompt);
                both.add(new Verdict.Match(answer.row() + 1, screen.get(answer.row()), rules.answerMarker()));
                return new Verdict(AgentStatus.COMPLETED, p + ".idle+answer", both);
            }
            if (turn.armed() && echo < 0 && turn.echoKey() != null && snapshot.contentHash() != turn.screenHash()) {
                // the input's echo scrolled off a changed screen: only a long answer does that; every line above it
                // went too, so a turn-end line on screen is this turn's, finished before caod saw the CLI busy
                List<Verdict.Match> ended = matches(screen, 0, rules.turnEnd);
                if (!ended.isEmpty()) {
                    return new Verdict(AgentStatus.COMPLETED, p + ".idle+turn-end (answer scrolled)", ended);
                }
            }
            if (turn.armed()) {
                return new Verdict(AgentStatus.PROCESSING, p + ".armed (input submitted, no new answer yet)", prompt);
            }
            if (turn.input() != null && rules.answerEnd != null) {
                // a CLI that closes every turn with an end line is done only when that line shows: its prompt also
                // comes back for a moment between a tool call and the next model request
                return new Verdict(AgentStatus.PROCESSING, p + ".idle (turn not ended yet)", prompt);
            }
            if (turn.input() != null) {
                // it worked on the task and its prompt is back: done, even when a long answer scrolled its start away
                return new Verdict(AgentStatus.COMPLETED, p + ".idle+task-done", prompt);
            }
            return new Verdict(AgentStatus.IDLE, p + ".idle", prompt);
        }
        m = matches(screen, 0, rules.error);
        if (!m.isEmpty()) {
            return new Verdict(AgentStatus.ERROR, p + ".error", m);
        }
        return Verdict.of(AgentStatus.UNKNOWN, "no-rule-matched");
    }

    /**
     * Where the last answer starts (for end-anchored answers: the line below it), and whether it stands below the
     * echo of the current turn's input.
     */
    record AnswerRow(int row, boolean belowEcho) {
    }

    /**
     * The last answer start, searched below the echo of the turn's input when that echo is on screen (else
     * anywhere, e.g. before any input or when the echo scrolled away). Row -1 when none.
     */
    static AnswerRow lastAnswerRow(ProviderRules.Compiled rules, List<String> screen, Turn turn) {
        int echo = echoRow(rules, screen, turn);
        for (int i = screen.size() - 1; i > echo; i--) {
            String line = screen.get(i);
            if (rules.marksAnswer(line)) {
                return new AnswerRow(i, echo >= 0);
            }
        }
        return new AnswerRow(-1, false);
    }

    /** The row echoing the current turn's input, -1 when there is no turn or its echo is not on screen. */
    static int echoRow(ProviderRules.Compiled rules, List<String> screen, Turn turn) {
        String key = turn.echoKey();
        if (key == null) {
            return -1;
        }
        for (int i = screen.size() - 1; i >= 0; i--) {
            String line = screen.get(i);
            // the echo is a line the CLI shows as input (not an answer quoting the input back)
            if (line.contains(key) && (rules.inputEcho == null ? !rules.marksAnswer(line)
                    : rules.inputEcho.matcher(line).find())) {
                return i;
            }
        }
        return -1;
    }

    private static int regionStart(List<String> screen, int bottomLines) {
        if (bottomLines <= 0) {
            return 0;
        }
        int seen = 0;
        for (int i = screen.size() - 1; i >= 0; i--) {
            if (!screen.get(i).isBlank() && ++seen == bottomLines) {
                return i;
            }
        }
        return 0;
    }

    private static List<Verdict.Match> matches(List<String> screen, int from, List<Pattern> patterns) {
        List<Verdict.Match> found = new ArrayList<>();
        for (int i = from; i < screen.size(); i++) {
            String line = screen.get(i);
            for (Pattern pattern : patterns) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    found.add(new Verdict.Match(i + 1, line, pattern.pattern()));
                    break;
                }
            }
        }
        return found;
    }
}
