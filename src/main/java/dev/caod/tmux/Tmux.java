package dev.caod.tmux;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.caod.daemon.DaemonConfig;

/**
 * caod's tmux servers: sessions and windows for terminals, their screens, titles and foreground commands, typed
 * input, and a stream of "this pane wrote output" signals.
 *
 * <p>By default each caod session has a tmux server of its own ({@code tmux -L caod-<session>},
 * {@link TmuxSettings#servers()}), so one tmux crash costs one team, not every agent (tmux 3.3a segfaults under
 * session churn: bench/tmux-churn.sh). A session an older caod started on the shared server ({@code tmux -L caod})
 * is found there and stays there until it ends.
 *
 * <p>Frequent commands (capture, pane info, keys, paste) go through one control-mode {@link TmuxChannel} per tmux
 * session, which also delivers the output signals. Commands that carry an argv or a payload (new session/window,
 * load-buffer) run as one tmux process each, so an agent's command line and any typed text reach tmux as exact
 * arguments or stdin bytes, never through tmux's command parser. Every method blocks: call from worker or virtual
 * threads, never from an event loop.
 */
@ApplicationScoped
public class Tmux {

    private static final Logger LOG = Logger.getLogger(Tmux.class);

    private final TmuxSettings settings;
    private final ServerPlacement placement;
    private final Path configFile;
    private final Map<String, TmuxChannel> channels = new ConcurrentHashMap<>();
    /** Keyed by {@link #paneKey}: pane ids are only unique within one server. */
    private final Map<String, Consumer<String>> outputListeners = new ConcurrentHashMap<>();
    /** tmux session name → the socket name of the server it lives on; learnt once per session. */
    private final Map<String, String> sockets = new ConcurrentHashMap<>();

    public Tmux(TmuxSettings settings, DaemonConfig daemon) {
        this.settings = settings;
        this.placement = ServerPlacement.of(settings);
        this.configFile = daemon.runtimeDir().resolve("tmux.conf");
    }

    /** The argv of one tmux command on the server {@code session} lives on. */
    private List<String> command(String session, String... words) {
        return onSocket(socketOf(session), words);
    }

    private List<String> onSocket(String socket, String... words) {
        List<String> cmd = new ArrayList<>(List.of(settings.binary(), "-L", socket, "-f", configFile.toString()));
        cmd.addAll(List.of(words));
        return cmd;
    }

    /**
     * The socket name ({@code tmux -L <name>}) of the server {@code session} lives on: what a person passes to attach.
     * Its own server in per-session mode, unless an older caod started the session on the shared server.
     */
    public String socketOf(String session) {
        return sockets.computeIfAbsent(session, s -> settings.servers() == TmuxSettings.Servers.SHARED
                || run(onSocket(settings.socketName(), "has-session", "-t", "=" + s), null).exitCode() == 0
                        ? settings.socketName()
                        : settings.socketName() + "-" + s);
    }

    private static String paneKey(String session, String paneId) {
        return session + " " + paneId;
    }

    /**
     * tmux's server (3.3a, and 3.5a too: bench/tmux-churn.sh) segfaults when sessions are created or killed while
     * control clients attach or detach; concurrent first `new-session`s each start a server and all but one die. So
     * every change to the set of sessions, windows and control clients of one server runs one at a time; different
     * servers change in parallel. Locks, not monitors: these calls block on tmux from virtual threads.
     */
    private final Map<String, ReentrantLock> structureLocks = new ConcurrentHashMap<>();

    private <T> T structurally(String session, Supplier<T> change) {
        ReentrantLock structure = structureLocks.computeIfAbsent(socketOf(session), s -> new ReentrantLock());
        structure.lock();
        try {
            return change.get();
        } finally {
            structure.unlock();
        }
    }

    /** The shared server's socket name, and the prefix of every per-session server's. */
    public String socketName() {
        return settings.socketName();
    }

    /**
     * Starts a new tmux session whose first window runs {@code argv}. The only command that may start the server,
     * so the only one placed outside caod's cgroup ({@link ServerPlacement}).
     */
    public PaneRef newSession(String session, String windowName, Path cwd, List<String> argv) {
        writeConfig();
        List<String> cmd = new ArrayList<>(placement.prefix());
        cmd.addAll(command(session, "new-session", "-d", "-P", "-F", "#{window_id} #{pane_id}", "-s", session, "-n",
                windowName, "-x", String.valueOf(settings.width()), "-y", String.valueOf(settings.height()),
                "-c", cwd.toString(), "--"));
        cmd.addAll(argv);
        return structurally(session, () -> {
            String[] ids = startingServer(cmd).strip().split(" ");
            applyOptions(session);
            fixSize(session, ids[0]);
            return new PaneRef(session, ids[0], ids[1]);
        });
    }

    /**
     * Runs a {@code new-session}, once more when tmux's server died while starting: tmux 3.3a now and then segfaults
     * there (in libevent, seen in dmesg), before it has made anything, so the same command is safe to repeat.
     */
    private String startingServer(List<String> cmd) {
        try {
            return exec(cmd, null);
        } catch (TmuxException e) {
            if (e.getMessage() == null || !e.getMessage().contains("server exited unexpectedly")) {
                throw e;
            }
            LOG.warnf("tmux's server crashed while starting (%s); starting it again", e.getMessage());
            return exec(cmd, null);
        }
    }

    /** Opens a window in an existing session running {@code argv}. */
    public PaneRef newWindow(String session, String windowName, Path cwd, List<String> argv) {
        List<String> cmd = command(session, "new-window", "-d", "-P", "-F", "#{window_id} #{pane_id}", "-t",
                "=" + session + ":", "-n", windowName, "-c", cwd.toString(), "--");
        cmd.addAll(argv);
        return structurally(session, () -> {
            String[] ids = exec(cmd, null).strip().split(" ");
            fixSize(session, ids[0]);
            return new PaneRef(session, ids[0], ids[1]);
        });
    }

    /**
     * Pins one window's size, so a human attaching does not resize an agent's screen. Per window: with tmux 3.3a
     * a global {@code window-size manual} makes the server crash on the next new window or session.
     */
    private void fixSize(String session, String windowId) {
        if (!settings.pinWindowSize()) {
            return;
        }
        TmuxChannel channel = channel(session);
        channel.run(TmuxCommand.line("set-option", "-w", "-t", windowId, "window-size", "manual"));
        channel.run(TmuxCommand.line("resize-window", "-t", windowId, "-x", String.valueOf(settings.width()), "-y",
                String.valueOf(settings.height())));
    }

    public boolean hasSession(String session) {
        return run(command(session, "has-session", "-t", "=" + session), null).exitCode() == 0;
    }

    /** The visible screen, one string per row (trailing blanks kept as tmux renders them). */
    public List<String> screen(PaneRef pane) {
        return channel(pane.session()).run(TmuxCommand.line("capture-pane", "-p", "-t", pane.paneId()));
    }

    /** Scrollback plus screen, wrapped lines joined: what was printed, for answers and transcripts. */
    public List<String> history(PaneRef pane) {
        return channel(pane.session()).run(TmuxCommand.line("capture-pane", "-p", "-J", "-S", "-", "-E", "-",
                "-t", pane.paneId()));
    }

    public PaneInfo info(PaneRef pane) {
        List<String> lines = channel(pane.session()).run(TmuxCommand.line("display-message", "-p", "-t",
                pane.paneId(), PaneInfo.FORMAT));
        if (lines.isEmpty()) {
            throw new TmuxException("tmux gave no description of pane " + pane.paneId());
        }
        return PaneInfo.parse(lines.getFirst());
    }

    /** The panes of {@code session} (none when it or its server is gone), for re-adopting terminals after a restart. */
    public List<PaneInfo> panes(String session) {
        Result r = run(command(session, "list-panes", "-s", "-t", "=" + session, "-F", PaneInfo.FORMAT), null);
        if (r.exitCode() != 0) {
            return List.of(); // no session or no server: no panes
        }
        return r.output().lines().filter(l -> !l.isBlank()).map(PaneInfo::parse).toList();
    }

    /**
     * Pastes {@code text} as one bracketed paste (the CLI sees a paste, so newlines do not submit). The bytes go to
     * tmux on stdin, so any character is safe, then the buffer is pasted and deleted in one command.
     */
    public void paste(PaneRef pane, String text) {
        String buffer = "caod-" + UUID.randomUUID();
        exec(command(pane.session(), "load-buffer", "-b", buffer, "-"), text);
        channel(pane.session()).run(TmuxCommand.line("paste-buffer", "-p", "-d", "-b", buffer, "-t", pane.paneId()));
    }

    /** Sends tmux key names ({@code Enter}, {@code Escape}, {@code C-c}, {@code 1} …) in order. */
    public void sendKeys(PaneRef pane, List<String> keys) {
        List<String> words = new ArrayList<>(List.of("send-keys", "-t", pane.paneId()));
        words.addAll(keys);
        channel(pane.session()).run(TmuxCommand.line(words.toArray(String[]::new)));
    }

    public void killWindow(PaneRef pane) {
        List<String> cmd = command(pane.session(), "kill-window", "-t", pane.windowId());
        structurally(pane.session(), () -> {
            run(cmd, null);
            return null;
        });
    }

    public void killSession(String session) {
        List<String> cmd = command(session, "kill-session", "-t", "=" + session);
        structurally(session, () -> {
            TmuxChannel channel = channels.remove(session);
            if (channel != null) {
                channel.close();
            }
            run(cmd, null); // a per-session server exits with its last session
            return null;
        });
        String socket = sockets.remove(session);
        if (socket != null && !socket.equals(settings.socketName())) {
            structureLocks.remove(socket); // that server is gone with the session
        }
    }

    /** Output signals of one pane go to {@code listener} (on a reader thread: it must not block). */
    public void onOutput(PaneRef pane, Consumer<String> listener) {
        outputListeners.put(paneKey(pane.session(), pane.paneId()), listener);
        channel(pane.session()); // attaching starts the signals
    }

    public void stopOutput(PaneRef pane) {
        outputListeners.remove(paneKey(pane.session(), pane.paneId()));
    }

    private TmuxChannel channel(String session) {
        TmuxChannel open = channels.get(session);
        if (open != null && open.isOpen()) {
            return open;
        }
        // (the structure lock first, then the map's: killSession takes them in the same order)
        return structurally(session, () -> channels.compute(session, (name, existing) -> {
            if (existing != null && existing.isOpen()) {
                return existing;
            }
            return TmuxChannel.attach(command(name), name, new TmuxChannel.Listener() {
                @Override
                public void onOutput(String paneId) {
                    Consumer<String> l = outputListeners.get(paneKey(name, paneId));
                    if (l != null) {
                        l.accept(paneId);
                    }
                }

                @Override
                public void onClosed(String reason) {
                    LOG.debugf("tmux channel for %s closed: %s", name, reason);
                }
            });
        }));
    }

    /** Options caod relies on; also applied to a server started by an earlier daemon or by hand. */
    private void applyOptions(String session) {
        TmuxChannel channel = channel(session);
        for (String option : options()) {
            channel.run(option);
        }
    }

    private List<String> options() {
        return List.of(
                "set-option -g remain-on-exit on", // a CLI that exits leaves its screen and exit status to read
                "set-option -g default-size " + settings.width() + "x" + settings.height(),
                "set-option -g history-limit " + settings.historyLimit(),
                "set-option -g focus-events on",
                "set-option -g automatic-rename off",
                "set-option -g default-terminal tmux-256color");
    }

    private void writeConfig() {
        try {
            Files.createDirectories(configFile.getParent());
            Files.writeString(configFile, "# written by caod at every session start; edits are overwritten\n"
                    + String.join("\n", options()) + "\n");
        } catch (IOException e) {
            throw new TmuxException("cannot write " + configFile + ": " + e.getMessage(), e);
        }
    }

    private String exec(List<String> cmd, String stdin) {
        Result r = run(cmd, stdin);
        if (r.exitCode() != 0) {
            throw new TmuxException("`" + String.join(" ", cmd.subList(cmd.indexOf("-f") + 2,
                    Math.min(cmd.size(), cmd.indexOf("-f") + 4))) + "` failed: " + r.output().strip());
        }
        return r.output();
    }

    record Result(int exitCode, String output) {
    }

    private Result run(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TmuxException("tmux did not finish `" + cmd + "` within 10 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new TmuxException("cannot run " + settings.binary() + ": " + e.getMessage()
                    + ". Install tmux >= 3.2 (`apt-get install tmux`); `caod doctor` checks.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TmuxException("interrupted while running tmux", e);
        }
    }

    @PreDestroy
    void closeChannels() {
        // detach only: agents keep running in tmux across daemon restarts
        channels.values().forEach(TmuxChannel::close);
        channels.clear();
    }
}
