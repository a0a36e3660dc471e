package dev.caod.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.TerminalLifecycleChanged;
import dev.caod.api.v1.TerminalStatusChanged;
import dev.caod.daemon.DaemonConfig;
import dev.caod.event.EventBus;
import dev.caod.provider.LaunchPlan;
import dev.caod.provider.LaunchRequest;
import dev.caod.provider.Provider;
import dev.caod.provider.ProviderRegistry;
import dev.caod.profile.Profile;
import dev.caod.profile.ProfileException;
import dev.caod.profile.ProfileStore;
import dev.caod.store.Refs;
import dev.caod.store.SessionEntity;
import dev.caod.store.TerminalEntity;
import dev.caod.tmux.PaneInfo;
import dev.caod.tmux.PaneRef;
import dev.caod.tmux.Tmux;
import dev.caod.tmux.TmuxException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Sessions and terminals: start agent CLIs in tmux, type into them, know their status, read their answers, close
 * them without leaving a process behind. Every method blocks (tmux, processes, the database): call it from a worker
 * or virtual thread.
 */
@ApplicationScoped
public class TerminalService implements TerminalMonitor.Sink {

    private static final Logger LOG = Logger.getLogger(TerminalService.class);
    private static final Pattern SESSION_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,47}");

    private final Tmux tmux;
    private final ProviderRegistry providers;
    private final ProfileStore profiles;
    private final dev.caod.daemon.DaemonStatus daemon;
    private final TerminalSettings settings;
    private final EventBus events;
    private final Path terminalsDir;
    private final Path transcriptsDir;
    private final TerminalMonitor monitor;
    private final ScreenWatchers screens = new ScreenWatchers();
    private final Map<String, Object> closing = new ConcurrentHashMap<>();
    /** Terminals whose CLI has listed caod's MCP tools (since this daemon started). */
    private final Set<String> mcpConnected = ConcurrentHashMap.newKeySet();
    /** Variables forwarded at session creation, inherited by the session's terminals; memory only, never stored. */
    private final Map<String, Map<String, String>> sessionEnv = new ConcurrentHashMap<>();

    public TerminalService(Tmux tmux, ProviderRegistry providers, ProfileStore profiles, TerminalSettings settings,
            EventBus events, DaemonConfig config, dev.caod.daemon.DaemonStatus daemon) {
        this.daemon = daemon;
        this.tmux = tmux;
        this.providers = providers;
        this.profiles = profiles;
        this.settings = settings;
        this.events = events;
        this.terminalsDir = config.runtimeDir().resolve("terminals");
        this.transcriptsDir = config.stateDir().resolve("transcripts");
        this.monitor = new TerminalMonitor(tmux, settings, this);
    }

    /** Re-adopts terminals that kept running in tmux while caod was down; marks the others exited. */
    void adopt(@Observes @jakarta.annotation.Priority(20) StartupEvent start) {
        Thread.ofVirtual().name("caod-adopt").start(() -> {
            try {
                List<TerminalEntity> live = QuarkusTransaction.requiringNew().call(() -> TerminalEntity
                        .<TerminalEntity>list("lifecycle <> ?1", Lifecycle.EXITED).stream().peek(t -> t.session.ref.length())
                        .toList());
                // pane ids are unique per tmux server only, and each session may have its own server
                Map<String, java.util.Set<String>> panes = new HashMap<>();
                live.forEach(t -> panes.computeIfAbsent(t.session.tmuxSession, s -> tmux.panes(s).stream()
                        .map(PaneInfo::paneId).collect(java.util.stream.Collectors.toSet())));
                for (TerminalEntity t : live) {
                    if (t.tmuxPane != null && panes.get(t.session.tmuxSession).contains(t.tmuxPane)) {
                        LiveTerminal lt = new LiveTerminal(t.id, t.ref, t.session.ref, t.provider,
                                new PaneRef(t.session.tmuxSession, t.tmuxWindow, t.tmuxPane), terminalsDir.resolve(t.ref),
                                providers.rules(t.provider), t.lifecycle);
                        lt.turn = t.lastInput == null ? Turn.NONE : new Turn(t.lastInput, 0, true);
                        monitor.watch(lt);
                        LOG.infof("re-adopted terminal %s (%s) in tmux pane %s", t.ref, t.provider, t.tmuxPane);
                    } else {
                        markExited(t.id, "its tmux pane was gone when caod started");
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not re-adopt terminals: %s", e.getMessage());
            }
        });
    }

    // ---- sessions

    public record NewSession(SessionView session, TerminalView supervisor) {
    }

    public NewSession createSession(String profile, String provider, String workingDirectory, String name,
            Map<String, String> env, String initialMessage) {
        require(profile, "profile");
        String sessionName = name == null || name.isBlank() ? "caod-" + Refs.newRef().toLowerCase() : name;
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "name: `" + sessionName
                    + "` is not a valid session name ([a-z0-9_-], at most 48, starting with a letter or digit)");
        }
        Path wd = workingDirectory(workingDirectory, null);
        TerminalEnvironment.checkNames(env);
        if (QuarkusTransaction.requiringNew().call(() -> SessionEntity.count("name", sessionName)) > 0) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "name: a session named `" + sessionName
                    + "` exists already; pick another name or delete it with `caod session delete`");
        }
        String sessionRef = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity s = new SessionEntity();
            s.ref = Refs.newRef();
            s.name = sessionName;
            s.tmuxSession = sessionName;
            s.workingDirectory = wd.toString();
            s.createdAt = Instant.now();
            s.persist();
            return s.ref;
        });
        sessionEnv.put(sessionRef, Map.copyOf(env));
        try {
            TerminalView supervisor = start(sessionRef, profile, provider, null, wd.toString(), null, Map.of(), true);
            if (initialMessage != null && !initialMessage.isBlank()) {
                Thread.ofVirtual().start(() -> sendWhenReady(supervisor.id(), initialMessage));
            }
            return new NewSession(session(sessionRef, false), supervisor);
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> SessionEntity.<SessionEntity>find("ref", sessionRef)
                    .firstResultOptional().ifPresent(s -> s.closedAt = Instant.now()));
            sessionEnv.remove(sessionRef);
            throw e;
        }
    }

    public List<SessionView> sessions(boolean includeClosed) {
        return QuarkusTransaction.requiringNew().call(() -> SessionEntity.<SessionEntity>listAll().stream()
                .filter(s -> includeClosed || s.closedAt == null)
                .map(s -> view(s, false)).toList());
    }

    public SessionView session(String ref, boolean withTerminals) {
        return QuarkusTransaction.requiringNew().call(() -> view(sessionRow(ref), withTerminals));
    }

    public SessionView deleteSession(String ref) {
        SessionView s = session(ref, true);
        for (TerminalView t : s.terminals()) {
            if (t.lifecycle() != Lifecycle.EXITED) {
                close(t.id());
            }
        }
        tmux.killSession(s.tmuxSession());
        sessionEnv.remove(ref);
        QuarkusTransaction.requiringNew().run(() -> sessionRow(ref).closedAt = Instant.now());
        return session(ref, true);
    }

    // ---- terminals

    public TerminalView createTerminal(String sessionRef, String profile, String provider, String workingDirectory,
            String callerRef, Map<String, String> env) {
        require(sessionRef, "session_id");
        require(profile, "profile");
        TerminalEnvironment.checkNames(env);
        SessionView s = session(sessionRef, false);
        if (s.closedAt() != null) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "session " + sessionRef
                    + " was deleted; create a new one");
        }
        // a worker takes its caller's provider unless the request or its profile names one; a worker started by a
        // person or a script takes the session's supervisor's (a demo session stays a demo session)
        String callerProvider = null;
        if (callerRef != null && !callerRef.isBlank()) {
            callerProvider = terminal(callerRef).provider();
        } else if (!s.supervisorId().isEmpty()) {
            callerProvider = terminal(s.supervisorId()).provider();
        }
        return start(sessionRef, profile, provider, callerProvider, workingDirectory == null
                || workingDirectory.isBlank() ? s.workingDirectory() : workingDirectory, callerRef, env, false);
    }

    public List<TerminalView> terminals(String sessionRef, Set<AgentStatus> statuses, boolean includeExited) {
        return QuarkusTransaction.requiringNew().call(() -> TerminalEntity.<TerminalEntity>listAll().stream()
                .filter(t -> sessionRef == null || sessionRef.isBlank() || t.session.ref.equals(sessionRef))
                .filter(t -> includeExited || t.lifecycle != Lifecycle.EXITED)
                .filter(t -> statuses.isEmpty() || statuses.contains(t.status))
                .sorted(Comparator.comparing((TerminalEntity t) -> t.id))
                .map(TerminalView::of).toList());
    }

    /** The live terminal whose MCP credential this is, if any: how caod knows which agent calls a tool. */
    public Optional<TerminalView> byMcpToken(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String hash = McpTokens.hash(token);
        return QuarkusTransaction.requiringNew().call(() -> TerminalEntity.<TerminalEntity>find("mcpTokenHash", hash)
                .firstResultOptional().filter(t -> t.lifecycle != Lifecycle.EXITED).map(TerminalView::of));
    }

    public TerminalView terminal(String ref) {
        return QuarkusTransaction.requiringNew().call(() -> TerminalView.of(terminalRow(ref)));
    }

    public record InputResult(TerminalView terminal, int resubmits) {
    }

    /**
     * Types {@code text} as one bracketed paste and, unless {@code noSubmit}, presses Enter and makes sure the CLI
     * reacted (re-sending Enter up to {@code resubmits} times). Refuses a pane whose CLI is gone, and one showing a
     * dialog unless {@code force}.
     */
    public InputResult sendInput(String ref, String text, boolean noSubmit, boolean force) {
        return sendInput(ref, text, noSubmit, force, false);
    }

    /**
     * As {@link #sendInput(String, String, boolean, boolean)}; with {@code onlyWhenReady} the text is typed only if a
     * fresh look at the screen (not the last published status, which may lag by a settle period) shows the CLI idle
     * or done, else {@link TerminalException.Kind#PRECONDITION} "busy": a CLI that is working drops what is typed.
     */
    public InputResult sendInput(String ref, String text, boolean noSubmit, boolean force, boolean onlyWhenReady) {
        LiveTerminal t = live(ref);
        if (onlyWhenReady) {
            Turn turn;
            synchronized (t) {
                turn = t.turn;
            }
            AgentStatus fresh = StatusEngine.evaluate(t.rules, monitor.snapshot(t), turn).status();
            if (fresh != AgentStatus.IDLE && fresh != AgentStatus.COMPLETED) {
                throw new TerminalException(TerminalException.Kind.PRECONDITION, "terminal " + ref + " is busy ("
                        + fresh.name().toLowerCase() + ")");
            }
        }
        Verdict now = monitor.evaluateNow(t);
        if (now.status() == AgentStatus.ERROR && now.rule().startsWith("pane-dead") || now.rule().startsWith("shell")) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "terminal " + ref
                    + "'s CLI is not running (" + now.rule() + "); close it and start a new one");
        }
        if (now.status() == AgentStatus.WAITING_USER_ANSWER && !force) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "terminal " + ref
                    + " shows a dialog waiting for an answer; answer it with `caod terminal keys` (SendKeys), or pass"
                    + " force to type into it anyway");
        }
        Snapshot before = t.lastSnapshot;
        tmux.paste(t.pane, text);
        Snapshot pasted = waitForPasteToSettle(t, before == null ? 0 : before.contentHash(), Duration.ofSeconds(2));
        int resubmits = 0;
        if (!noSubmit) {
            synchronized (t) {
                t.turn = new Turn(text, pasted.contentHash(), false);
            }
            QuarkusTransaction.requiringNew().run(() -> {
                TerminalEntity row = TerminalEntity.findById(t.dbId);
                row.lastInput = text;
                row.lastActiveAt = Instant.now();
            });
            tmux.sendKeys(t.pane, List.of("Enter"));
            while (!reacted(t, pasted.contentHash()) && resubmits < settings.resubmits()) {
                resubmits++;
                LOG.infof("terminal %s did not react to Enter; pressing Enter again (%d)", ref, resubmits);
                tmux.sendKeys(t.pane, List.of("Enter"));
            }
        }
        monitor.signal(t);
        return new InputResult(terminal(ref), resubmits);
    }

    /** The tmux key names a client may send: named keys, modifiers with a letter or digit, one printable char. */
    private static final java.util.regex.Pattern KEY_NAME = java.util.regex.Pattern.compile(
            "(Up|Down|Left|Right|Enter|Tab|BTab|Escape|Space|BSpace|DC|IC|Home|End|NPage|PPage|PageUp|PageDown"
                    + "|F([1-9]|1[0-2])|([CMS]-)+([A-Za-z0-9]|Up|Down|Left|Right|Enter|Tab|Space|BSpace)"
                    + "|[\\x21-\\x7e])");

    /** Sends tmux key names (dialog answers, Escape, C-c …). */
    public TerminalView sendKeys(String ref, List<String> keys) {
        // (key names reach tmux's command parser: only names, never separators or quotes)
        if (keys.isEmpty()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "keys: name at least one key, e.g. Enter");
        }
        keys.stream().filter(k -> !KEY_NAME.matcher(k).matches()).findFirst().ifPresent(k -> {
            throw new TerminalException(TerminalException.Kind.INVALID, "keys: `" + k + "` is not a key name; use"
                    + " tmux key names such as Enter, Escape, Tab, Up, Down, C-c, M-x, F1, a single character, or"
                    + " send text with SendInput");
        });
        LiveTerminal t = live(ref);
        try {
            tmux.sendKeys(t.pane, keys);
        } catch (TmuxException e) {
            throw new TerminalException(TerminalException.Kind.INVALID, "keys: tmux refused " + keys + ": "
                    + e.getMessage());
        }
        monitor.signal(t);
        return terminal(ref);
    }

    public enum OutputMode { LAST, SCREEN, FULL, TRANSCRIPT }

    public record Output(String text, AgentStatus status) {
    }

    public Output output(String ref, OutputMode mode, int maxLines) {
        TerminalView view = terminal(ref);
        String text;
        LiveTerminal t = monitor.get(ref);
        if (mode == OutputMode.TRANSCRIPT || t == null) {
            text = transcript(ref);
        } else {
            text = switch (mode) {
                case SCREEN -> String.join("\n", tmux.screen(t.pane));
                case FULL -> String.join("\n", tmux.history(t.pane));
                default -> AnswerExtractor.lastAnswer(t.rules, tmux.history(t.pane), lastInput(t));
            };
        }
        if (mode == OutputMode.LAST && t == null) {
            text = AnswerExtractor.lastAnswer(providers.rules(view.provider()), text.lines().toList(), null);
        }
        if (maxLines > 0) {
            // a screen is padded with blank rows below its content: the last lines asked for are the written ones
            List<String> lines = text.stripTrailing().lines().toList();
            text = String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        }
        return new Output(text, view.status());
    }

    public record Explanation(Verdict verdict, String provider, Snapshot snapshot) {
    }

    public Explanation explain(String ref) {
        LiveTerminal t = live(ref);
        Verdict v = monitor.evaluateNow(t);
        synchronized (t) {
            return new Explanation(v, t.provider, t.lastSnapshot);
        }
    }

    /** Waits until the status is one of {@code anyOf}; returns the terminal and whether it got there in time. */
    public record Awaited(TerminalView terminal, boolean reached) {
    }

    public Awaited awaitStatus(String ref, Set<AgentStatus> anyOf, Duration timeout) {
        if (anyOf.isEmpty()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "any_of: name at least one status to wait for");
        }
        boolean reached = awaitEvent(ref, e -> e.hasStatusChanged()
                && anyOf.contains(Protos.status(e.getStatusChanged().getCurrent())),
                () -> anyOf.contains(terminal(ref).status()), timeout);
        return new Awaited(terminal(ref), reached);
    }

    /** Waits until the terminal has exited; false when it is still there after {@code timeout}. Blocking. */
    public boolean awaitExit(String ref, Duration timeout) {
        return awaitEvent(ref, e -> e.hasLifecycleChanged()
                && e.getLifecycleChanged().getCurrent() == dev.caod.api.v1.TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED,
                () -> terminal(ref).lifecycle() == Lifecycle.EXITED, timeout);
    }

    /** Waits for an event of the terminal that {@code matches}, unless {@code already} holds (checked once subscribed). */
    private boolean awaitEvent(String ref, java.util.function.Predicate<Event> matches,
            java.util.function.BooleanSupplier already, Duration timeout) {
        terminal(ref); // NOT_FOUND for unknown ids
        CompletableFuture<Boolean> reached = new CompletableFuture<>();
        try (AutoCloseable sub = events.subscribe(e -> {
            if (e.getTerminalId().equals(ref) && matches.test(e)) {
                reached.complete(true);
            }
        })) {
            if (already.getAsBoolean()) {
                return true;
            }
            try {
                return reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "interrupted while waiting");
        } catch (Exception e) {
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "wait failed: " + e.getMessage());
        }
    }

    /**
     * Closes a terminal: keeps its whole history as a transcript, asks the CLI to quit, ends its whole process tree
     * (children that detached included), removes its window and private files. Idempotent.
     */
    public TerminalView close(String ref) {
        // one close at a time per terminal: a second caller (a session being deleted while a handoff closes its
        // worker) waits and then finds it exited, instead of racing it through the same tmux steps
        synchronized (closing.computeIfAbsent(ref, r -> new Object())) {
            try {
                return closeOnce(ref);
            } finally {
                closing.remove(ref);
            }
        }
    }

    private TerminalView closeOnce(String ref) {
        TerminalView view = terminal(ref);
        LiveTerminal t = monitor.get(ref);
        if (t == null) {
            if (view.lifecycle() != Lifecycle.EXITED) {
                markExited(QuarkusTransaction.requiringNew().call(() -> terminalRow(ref).id), "closed");
            }
            return terminal(ref);
        }
        long started = System.nanoTime();
        monitor.unwatch(t);
        Path transcript = saveTranscript(t);
        long pid = 0;
        try {
            pid = tmux.info(t.pane).pid();
            quit(t);
        } catch (TmuxException e) {
            // the pane is gone already
        }
        long quitDone = System.nanoTime();
        int forced = ProcessTree.end(pid, Duration.ofSeconds(3));
        long treeDone = System.nanoTime();
        tmux.killWindow(t.pane);
        LOG.debugf("closed terminal %s: quit %d ms, process tree %d ms (%d killed), window %d ms", ref,
                (quitDone - started) / 1_000_000, (treeDone - quitDone) / 1_000_000, forced,
                (System.nanoTime() - treeDone) / 1_000_000);
        deleteTree(t.terminalDir);
        QuarkusTransaction.requiringNew().run(() -> {
            TerminalEntity row = TerminalEntity.findById(t.dbId);
            row.transcriptPath = transcript == null ? null : transcript.toString();
        });
        markExited(t.dbId, "closed");
        return terminal(ref);
    }

    /** Asks the CLI to quit with its own keys (it may save state on the way out); the process tree ends it anyway. */
    private void quit(LiveTerminal t) {
        if (t.rules.exitKeys.isEmpty() || tmux.info(t.pane).dead()) {
            return;
        }
        for (String key : t.rules.exitKeys) {
            tmux.sendKeys(t.pane, List.of(key));
            pause(150); // CLIs read a repeated C-c as one press when it comes too fast
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline && !tmux.info(t.pane).dead()) {
            pause(100);
        }
    }

    // ---- monitor callbacks

    @Override
    public void verdict(LiveTerminal t, Verdict previous, Verdict next, Snapshot snapshot, boolean newAnswer) {
        if (previous.status() == next.status() && !newAnswer) {
            return; // completed -> completed with a new answer is news: the inbox's next message may go in
        }
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            TerminalEntity row = TerminalEntity.findById(t.dbId);
            row.status = next.status();
            row.statusRule = next.rule();
            row.statusSince = now;
            row.lastActiveAt = now;
        });
        events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_STATUS_CHANGED).setSessionId(t.sessionRef)
                .setTerminalId(t.ref).setStatusChanged(TerminalStatusChanged.newBuilder()
                        .setPrevious(Protos.status(previous.status())).setCurrent(Protos.status(next.status()))
                        .setRule(next.rule())));
        if (snapshot.pane().isGone() && t.lifecycle != Lifecycle.EXITED) {
            // nothing left to read: the transcript kept at the last turn's end is what remains
            LOG.warnf("terminal %s: its tmux pane is gone (%s)", t.ref, next.rule());
            t.lifecycle = Lifecycle.EXITED;
            markExited(t.dbId, next.rule());
            fault(t.sessionRef, t.ref, "tmux", "terminal " + t.ref + "'s tmux pane is gone (its window was closed"
                    + " or the tmux server stopped); the transcript kept at its last turn's end remains",
                    "start a new agent; `caod terminal output " + t.ref + " --mode transcript` shows what it left");
        } else if (snapshot.pane().dead() && t.lifecycle != Lifecycle.EXITED) {
            // the window stays (remain-on-exit) so its last screen can be read until the terminal is closed
            LOG.infof("terminal %s: its CLI exited (%s)", t.ref, next.rule());
            t.lifecycle = Lifecycle.EXITED;
            markExited(t.dbId, "CLI exited (" + next.rule() + ")");
        } else if (next.status() == AgentStatus.COMPLETED || next.status() == AgentStatus.WAITING_USER_ANSWER) {
            // kept at every turn's end, so a pane that vanishes (closed by hand, tmux killed) leaves its history
            Thread.ofVirtual().name("transcript-" + t.ref).start(() -> keepTranscript(t));
        }
    }

    @Override
    public void ready(LiveTerminal t) {
        if (!t.rules.readyNeedsMcp || mcpConnected.contains(t.ref)) {
            running(t, "ready");
            return;
        }
        t.awaitingMcp = true;
        Thread.ofVirtual().name("mcp-wait-" + t.ref).start(() -> {
            try {
                Thread.sleep(settings.mcpConnectTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.announcedRunning.get()) {
                return;
            }
            LOG.warnf("terminal %s: its CLI did not list caod's MCP tools within %s; handoff and send_message may be"
                    + " missing from its tools", t.ref, settings.mcpConnectTimeout());
            running(t, "ready (caod's MCP tools not listed within " + settings.mcpConnectTimeout().toSeconds()
                    + " s)");
        });
    }

    @Override
    public void looked(LiveTerminal t, Snapshot snapshot, AgentStatus status) {
        screens.looked(t, snapshot, status);
    }

    /**
     * Watches a terminal's screen: the watcher gets the current screen at once, then each new one, and
     * {@link ScreenWatchers.Watcher#ended} when the terminal exits (at once for one that has exited). Blocking: reads
     * the pane.
     */
    public AutoCloseable watchScreen(String ref, ScreenWatchers.Watcher watcher) {
        terminal(ref); // NOT_FOUND for unknown ids
        LiveTerminal t = monitor.get(ref);
        if (t == null) {
            watcher.ended();
            return () -> {
            };
        }
        AutoCloseable watching = screens.watch(ref, watcher);
        Snapshot last;
        synchronized (t) {
            last = t.lastSnapshot; // the monitor's newest look; a fresh one only before its first
        }
        Snapshot now = last != null ? last : monitor.snapshot(t);
        watcher.frame(new ScreenWatchers.Frame(ref, ScreenWatchers.text(now.screen()), t.status(), t.lifecycle,
                now.at()));
        return watching;
    }

    /** The terminal's CLI listed caod's MCP tools: it can call them now (see ready_needs_mcp). */
    public void mcpToolsListed(String ref) {
        if (mcpConnected.add(ref)) {
            LiveTerminal t = monitor.get(ref);
            if (t != null && t.awaitingMcp) {
                running(t, "ready (MCP connected)");
            }
        }
    }

    private void running(LiveTerminal t, String reason) {
        if (!t.announcedRunning.compareAndSet(false, true)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            TerminalEntity row = TerminalEntity.findById(t.dbId);
            row.lifecycle = Lifecycle.RUNNING;
        });
        publishLifecycle(t.sessionRef, t.ref, Lifecycle.STARTING, Lifecycle.RUNNING, reason);
    }

    // ---- internals

    private TerminalView start(String sessionRef, String profile, String requested, String provider,
            String workingDirectory, String callerRef, Map<String, String> env, boolean first) {
        Profile profileDef = profile(profile);
        // precedence: the request's flag > the profile > the caller's provider (passed in as `provider`) > default
        String providerName = requested != null && !requested.isBlank() ? requested
                : profileDef.provider().orElse(provider == null || provider.isBlank() ? settings.defaultProvider()
                        : provider);
        Provider p;
        try {
            p = providers.provider(providerName);
        } catch (IllegalArgumentException e) {
            throw new TerminalException(TerminalException.Kind.INVALID, "provider: " + e.getMessage());
        }
        var rules = providers.rules(providerName);
        Path wd = workingDirectory(workingDirectory, null);
        String ref = Refs.newRef();
        String mcpToken = McpTokens.newToken();
        Path dir = terminalsDir.resolve(ref);
        Map<String, String> fullEnv = new LinkedHashMap<>(TerminalEnvironment.filtered(System.getenv(),
                settings.envPassthrough().orElse(List.of())));
        fullEnv.putAll(sessionEnv.getOrDefault(sessionRef, Map.of()));
        fullEnv.putAll(env);
        boolean autoApprove = Optional.ofNullable(fullEnv.remove("CAOD_APPROVALS")).map(v -> !v.equals("ask"))
                .orElse(settings.autoApprove());
        LaunchPlan plan;
        try {
            Files.createDirectories(dir);
            plan = p.launch(new LaunchRequest(ref, profile, wd, dir,
                    Optional.of(profileDef.prompt()).filter(text -> !text.isBlank()), profileDef.model(),
                    Optional.of("http://" + daemon.httpAddress() + "/mcp"), mcpToken, autoApprove, fullEnv,
                    profileDef.mcpServers(),
                    profileDef.allowedTools(), profileDef.providerSettings().getOrDefault(providerName, Map.of())));
        } catch (IOException e) {
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "cannot prepare " + providerName + ": "
                    + e.getMessage());
        }
        fullEnv.putAll(plan.env());
        fullEnv.put("CAOD_TERMINAL_ID", ref);
        fullEnv.put("CAOD_SESSION_ID", sessionRef);
        if (callerRef != null && !callerRef.isBlank()) {
            fullEnv.put("CAOD_CALLER_ID", callerRef);
        }
        List<String> argv = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        fullEnv.forEach((k, v) -> argv.add(k + "=" + v));
        argv.add(resolve(plan.argv().getFirst(), fullEnv.get("PATH"), providerName));
        argv.addAll(plan.argv().subList(1, plan.argv().size()));

        SessionView s = session(sessionRef, false);
        String window = profile.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + ref;
        PaneRef pane = first || !tmux.hasSession(s.tmuxSession())
                ? tmux.newSession(s.tmuxSession(), window, wd, argv)
                : tmux.newWindow(s.tmuxSession(), window, wd, argv);
        Instant now = Instant.now();
        long id = QuarkusTransaction.requiringNew().call(() -> {
            TerminalEntity t = new TerminalEntity();
            t.ref = ref;
            t.session = sessionRow(sessionRef);
            t.caller = callerRef == null || callerRef.isBlank() ? null : terminalRow(callerRef);
            t.tmuxWindow = pane.windowId();
            t.tmuxPane = pane.paneId();
            t.provider = providerName;
            t.profile = profile;
            t.workingDirectory = wd.toString();
            t.mcpTokenHash = McpTokens.hash(mcpToken);
            t.statusSince = now;
            t.createdAt = now;
            t.lastActiveAt = now;
            t.persist();
            return t.id;
        });
        publishLifecycle(sessionRef, ref, Lifecycle.STARTING, Lifecycle.STARTING, "started");
        monitor.watch(new LiveTerminal(id, ref, sessionRef, providerName, pane, dir, rules, Lifecycle.STARTING));
        return terminal(ref);
    }

    private Profile profile(String name) {
        try {
            return profiles.get(name);
        } catch (ProfileStore.ProfileNotFoundException e) {
            throw new TerminalException(TerminalException.Kind.NOT_FOUND, "profile: " + e.getMessage());
        } catch (ProfileException e) {
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "profile `" + name
                    + "` does not validate: " + e.getMessage() + " (`caod profile validate` shows every problem)");
        } catch (IllegalArgumentException e) {
            throw new TerminalException(TerminalException.Kind.INVALID, e.getMessage());
        }
    }

    private void sendWhenReady(String ref, String text) {
        Awaited a = awaitReady(ref, settings.startupTimeout());
        if (a.reached()) {
            sendInput(ref, text, false, false);
        } else {
            LOG.warnf("terminal %s never became ready; its initial message was not sent", ref);
        }
    }

    /** Waits until the CLI is ready for input (lifecycle RUNNING). */
    public Awaited awaitReady(String ref, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        try (AutoCloseable sub = events.subscribe(e -> {
            if (e.getTerminalId().equals(ref) && e.hasLifecycleChanged()) {
                ready.complete(true);
            }
        })) {
            while (System.nanoTime() < deadline) {
                TerminalView v = terminal(ref);
                if (v.lifecycle() != Lifecycle.STARTING) {
                    return new Awaited(v, v.lifecycle() == Lifecycle.RUNNING);
                }
                try {
                    ready.get(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                            TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // look again
                }
            }
            return new Awaited(terminal(ref), false);
        } catch (Exception e) {
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "wait failed: " + e.getMessage());
        }
    }

    private boolean reacted(LiveTerminal t, int pastedHash) {
        long deadline = System.nanoTime() + settings.submitVerify().toNanos();
        while (System.nanoTime() < deadline) {
            Verdict v = monitor.evaluateNow(t);
            Snapshot s;
            synchronized (t) {
                s = t.lastSnapshot;
            }
            if (v.status() == AgentStatus.PROCESSING && v.rule().contains(".busy") || s != null && s.contentHash() != pastedHash
                    || v.status() == AgentStatus.ERROR || v.status() == AgentStatus.WAITING_USER_ANSWER) {
                return true;
            }
            pause(50);
        }
        return false;
    }

    /** How long a pasted screen must stay unchanged before Enter: some CLIs take an Enter that follows a paste at
     * once as part of it (Gemini CLI), and a screen still redrawing would make the Enter look answered. */
    private static final Duration PASTE_SETTLED = Duration.ofMillis(120);

    /**
     * Waits until the screen changed from {@code fromHash} and then stayed the same for {@link #PASTE_SETTLED}
     * (bounded by {@code max}); returns the settled screen, against which the reaction to Enter is judged.
     */
    private Snapshot waitForPasteToSettle(LiveTerminal t, int fromHash, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        Snapshot s = null;
        int seen = fromHash;
        long stableSince = 0;
        while (System.nanoTime() < deadline) {
            monitor.evaluateNow(t);
            synchronized (t) {
                s = t.lastSnapshot;
            }
            if (s != null && s.contentHash() != seen) {
                seen = s.contentHash();
                stableSince = System.nanoTime();
            } else if (seen != fromHash && System.nanoTime() - stableSince >= PASTE_SETTLED.toNanos()) {
                return s;
            }
            pause(30);
        }
        return s != null ? s : new Snapshot(List.of(), new PaneInfo("", "", "", false, 0, 0), Instant.now());
    }

    /** Condition polling inside a bounded wait: tmux gives no "paste landed" notification. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "interrupted");
        }
    }

    private String lastInput(LiveTerminal t) {
        synchronized (t) {
            return t.turn.input();
        }
    }

    private void keepTranscript(LiveTerminal t) {
        Path file = saveTranscript(t);
        if (file != null) {
            QuarkusTransaction.requiringNew().run(() -> {
                TerminalEntity row = TerminalEntity.findById(t.dbId);
                if (row != null) {
                    row.transcriptPath = file.toString();
                }
            });
        }
    }

    private Path saveTranscript(LiveTerminal t) {
        try {
            List<String> history = tmux.history(t.pane);
            Path file = transcriptsDir.resolve(t.sessionRef).resolve(t.ref + ".txt");
            Files.createDirectories(file.getParent());
            // whole or not at all: a turn's end and a close may both be writing it
            Path partial = Files.createTempFile(file.getParent(), t.ref, ".part");
            try {
                Files.writeString(partial, String.join("\n", history) + "\n");
                Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return file;
        } catch (IOException | TmuxException e) {
            LOG.warnf("could not keep the transcript of terminal %s: %s", t.ref, e.getMessage());
            fault(t.sessionRef, t.ref, "transcript", "the transcript of terminal " + t.ref + " could not be written: "
                    + e, "free space in (or fix the permissions of) " + transcriptsDir);
            return null;
        }
    }

    private String transcript(String ref) {
        String path = QuarkusTransaction.requiringNew().call(() -> terminalRow(ref).transcriptPath);
        if (path == null) {
            return "";
        }
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new TerminalException(TerminalException.Kind.UNAVAILABLE, "transcript " + path
                    + " cannot be read: " + e.getMessage());
        }
    }

    private void markExited(long id, String reason) {
        String[] refs = QuarkusTransaction.requiringNew().call(() -> {
            TerminalEntity row = TerminalEntity.findById(id);
            Lifecycle before = row.lifecycle;
            row.lifecycle = Lifecycle.EXITED;
            row.exitReason = reason;
            row.exitedAt = Instant.now();
            return new String[] { row.session.ref, row.ref, before.name() };
        });
        publishLifecycle(refs[0], refs[1], Lifecycle.valueOf(refs[2]), Lifecycle.EXITED, reason);
    }

    /** Reports a problem caod survived, for `caod session log` and event watchers. */
    private void fault(String session, String terminal, String component, String problem, String fix) {
        try {
            events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_FAULT).setSessionId(session)
                    .setTerminalId(terminal).setFault(dev.caod.api.v1.Fault.newBuilder().setComponent(component)
                            .setProblem(problem).setFix(fix)));
        } catch (RuntimeException e) {
            LOG.warnf("could not record the fault (%s): %s", problem, e.getMessage());
        }
    }

    private void publishLifecycle(String session, String terminal, Lifecycle from, Lifecycle to, String reason) {
        if (to == Lifecycle.EXITED) {
            screens.ended(terminal);
        }
        events.publish(Event.newBuilder().setKind(EventKind.EVENT_KIND_LIFECYCLE_CHANGED).setSessionId(session)
                .setTerminalId(terminal).setLifecycleChanged(TerminalLifecycleChanged.newBuilder()
                        .setPrevious(Protos.lifecycle(from)).setCurrent(Protos.lifecycle(to)).setReason(reason)));
    }

    private LiveTerminal live(String ref) {
        LiveTerminal t = monitor.get(ref);
        if (t == null) {
            TerminalView v = terminal(ref); // NOT_FOUND for unknown ids
            throw new TerminalException(TerminalException.Kind.PRECONDITION, "terminal " + ref + " has exited ("
                    + v.exitReason() + "); read what it left with `caod terminal output " + ref + " --mode transcript`");
        }
        return t;
    }

    private static String resolve(String command, String path, String provider) {
        if (command.contains("/")) {
            return command;
        }
        for (String dir : (path == null ? "" : path).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        throw new TerminalException(TerminalException.Kind.PRECONDITION, "provider " + provider + ": `" + command
                + "` is not on the PATH caod gives agents (" + path + "); install it (`caod doctor` says how) or add"
                + " its folder to the daemon's PATH");
    }

    /** System folders an agent must not work in (their subfolders are fine). */
    private static final Set<String> DANGEROUS = Set.of("/", "/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/etc",
            "/var", "/tmp", "/dev", "/proc", "/sys", "/root", "/boot", "/lib", "/lib64", "/run");

    private static Path workingDirectory(String dir, Path fallback) {
        Path p = dir == null || dir.isBlank() ? (fallback != null ? fallback : Path.of(System.getProperty("user.home")))
                : Path.of(dir.startsWith("~/") ? System.getProperty("user.home") + dir.substring(1) : dir);
        if (!p.isAbsolute() || !Files.isDirectory(p)) {
            throw new TerminalException(TerminalException.Kind.INVALID, "working_directory: `" + dir
                    + "` is not an absolute path to an existing folder");
        }
        try {
            p = p.toRealPath();
        } catch (IOException e) {
            throw new TerminalException(TerminalException.Kind.INVALID, "working_directory: `" + dir
                    + "` cannot be resolved: " + e.getMessage());
        }
        if (DANGEROUS.contains(p.toString())) {
            throw new TerminalException(TerminalException.Kind.INVALID, "working_directory: `" + p + "` is a system"
                    + " folder; agents edit files where they work, so give them a project folder (a subfolder is fine)");
        }
        return p;
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new TerminalException(TerminalException.Kind.INVALID, field + ": required");
        }
    }

    /**
     * A client-supplied id with characters no id has (a path, a control character) is bad input, not a missing thing:
     * say what an id looks like. (A plausible id that matches nothing is NOT_FOUND.)
     */
    private static void requireWellFormed(String kind, String ref) {
        if (ref != null && !ref.isBlank() && !ref.matches("[a-z0-9]{1,64}")) {
            throw new TerminalException(TerminalException.Kind.INVALID, kind + " id `" + ref + "` is malformed: ids are "
                    + Refs.LENGTH + " lower-case letters and digits (`caod " + kind + " list` shows them)");
        }
    }

    private static SessionEntity sessionRow(String ref) {
        requireWellFormed("session", ref);
        SessionEntity s = Refs.isWellFormed(ref) ? SessionEntity.byRef(ref) : null;
        if (s == null) {
            throw TerminalException.notFound("session", ref);
        }
        return s;
    }

    private static TerminalEntity terminalRow(String ref) {
        requireWellFormed("terminal", ref);
        TerminalEntity t = ref != null && Refs.isWellFormed(ref) ? TerminalEntity.byRef(ref) : null;
        if (t == null) {
            throw TerminalException.notFound("terminal", ref);
        }
        return t;
    }

    private static SessionView view(SessionEntity s, boolean withTerminals) {
        List<TerminalEntity> ts = TerminalEntity.<TerminalEntity>list("session", s).stream()
                .sorted(Comparator.comparing((TerminalEntity t) -> t.id)).toList();
        return new SessionView(s.ref, s.name, s.tmuxSession, s.workingDirectory,
                ts.isEmpty() ? "" : ts.getFirst().ref, s.createdAt, s.closedAt, ts.size(),
                withTerminals ? ts.stream().map(TerminalView::of).toList() : List.of());
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", dir, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        monitor.close();
    }
}
