package dev.caod.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The text of {@code caod.service}, the systemd user unit that runs {@code caod serve}. Pure: the same inputs give
 * the same bytes, which is how {@code caod service status} tells whether the installed file is current.
 *
 * <p>It holds no secrets: the command line and, when the user set them, the variables that move caod's folders.
 * Tokens and API keys stay where caod already keeps them (its state folder, the agents' forwarded environment).
 */
public record SystemdUnit(List<String> execStart, SequencedMap<String, String> environment) {

    public static final String NAME = "caod.service";

    /** The first line of every unit caod writes; a file without it is someone else's and is not overwritten. */
    public static final String MARKER = "# Managed by caod: written by `caod service install`, removed by "
            + "`caod service uninstall`.";

    /** caod's own folder variables (DaemonPaths): carried into the unit so the service uses this shell's folders. */
    static final List<String> FOLDER_VARIABLES = List.of("CAOD_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME");

    /** Seconds; longer than caod's graceful stop (quarkus.shutdown.timeout, 10 s) plus its own clean-up. */
    static final int TIMEOUT_STOP_SECONDS = 30;

    public SystemdUnit {
        execStart = List.copyOf(execStart);
        environment = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(environment));
        if (execStart.isEmpty() || !Path.of(execStart.getFirst()).isAbsolute()) {
            throw invalid("ExecStart needs an absolute program path: " + execStart);
        }
        // refuse now what render() could not write, so a unit that exists can always be rendered
        commandLine(execStart);
        environment.forEach((name, value) -> quote(name + "=" + value, false));
    }

    /** {@code <launcher> serve}, with the folder variables {@code env} sets (only those caod would honour). */
    public static SystemdUnit forLauncher(Path launcher, Map<String, String> env) {
        SequencedMap<String, String> carried = new LinkedHashMap<>();
        for (String name : FOLDER_VARIABLES) {
            String value = env.get(name);
            // the XDG spec says relative values are invalid: DaemonPaths ignores them, so does the unit
            boolean honoured = value != null && !value.isBlank()
                    && (name.equals("CAOD_HOME") || Path.of(value).isAbsolute());
            if (honoured) {
                carried.put(name, name.equals("CAOD_HOME") ? Path.of(value).toAbsolutePath().normalize().toString()
                        : value);
            }
        }
        return new SystemdUnit(List.of(launcher.toString(), "serve"), carried);
    }

    public String render() {
        List<String> lines = new ArrayList<>(List.of(
                MARKER,
                "# Local changes belong in a drop-in (`systemctl --user edit caod`): `caod service install` rewrites",
                "# this file. docs/service.md explains every line.",
                "[Unit]",
                "Description=caod, the CLI Agent Orchestrator daemon",
                "# a crash loop stops after 5 starts in 5 minutes; `systemctl --user reset-failed caod` re-arms it",
                "StartLimitIntervalSec=300",
                "StartLimitBurst=5",
                "",
                "[Service]",
                "# started once the launcher is executed (a missing launcher fails the start at once)",
                "Type=exec",
                "ExecStart=" + commandLine(execStart),
                "# the service runs what was built: bin/caod rebuilds after a change only when run from a shell (a",
                "# broken build in a restart loop would compile forever)",
                "Environment=CAOD_NO_BUILD=1"));
        environment.forEach((name, value) -> lines.add("Environment=" + quote(name + "=" + value, false)));
        lines.addAll(List.of(
                "SyslogIdentifier=caod",
                "Restart=on-failure",
                "RestartSec=5",
                "# 10: `caod serve` refused to start (another daemon serves the socket, unusable folders): retrying",
                "# would not help",
                "RestartPreventExitStatus=10",
                "# SIGTERM to the daemon alone, so it stops in order; processes still in this unit afterwards get",
                "# SIGKILL. Agents are not in this unit: caod starts their tmux server in a transient scope of its",
                "# own (caod.tmux.server-scope), so stopping or restarting caod leaves them running.",
                "KillMode=mixed",
                "# caod finishes in-flight calls for up to quarkus.shutdown.timeout (10 s) before it exits",
                "TimeoutStopSec=" + TIMEOUT_STOP_SECONDS,
                "",
                "[Install]",
                "WantedBy=default.target"));
        return String.join("\n", lines) + "\n";
    }

    /**
     * An ExecStart= value, each word quoted when needed. {@code $} is refused: systemd expands it in the arguments
     * (including argv[0], which bin/caod reads to find its checkout) but not in the program's path, so no escaping
     * keeps both right.
     */
    static String commandLine(List<String> argv) {
        List<String> words = new ArrayList<>();
        for (String arg : argv) {
            if (arg.indexOf('$') >= 0) {
                throw invalid("a unit's command line cannot hold '$' (" + arg + "); move caod to a folder"
                        + " without it, or pass --exec with a path that has none");
            }
            words.add(quote(arg, true));
        }
        return String.join(" ", words);
    }

    /**
     * One word in systemd's unit syntax: {@code %} doubled (else it is a specifier such as {@code %h}), wrapped in
     * double quotes with C escapes when it holds blanks, quotes or backslashes. A line break cannot be expressed
     * safely in a unit file, so it is refused rather than mangled.
     */
    static String quote(String word, boolean quoteOnlyIfNeeded) {
        if (word.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw invalid("a unit file cannot hold line breaks or control characters: " + word.replaceAll(
                    "\\p{Cntrl}", "?"));
        }
        String escaped = word.replace("%", "%%");
        boolean plain = !escaped.isEmpty() && escaped.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\''
                || c == '\\' || c == ';');
        if (plain && quoteOnlyIfNeeded) {
            return escaped;
        }
        return '"' + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(ServiceException.Reason.FAILED, message);
    }
}
