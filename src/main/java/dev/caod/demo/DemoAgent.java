package dev.caod.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.caod.demo.Script.Step;

/**
 * The scripted chat loop: idle prompt, line editing, and one turn per submitted input that plays the matching
 * script steps with a busy spinner. Single-threaded: keys come from the {@link KeyReader} queue, tool calls run on a
 * helper thread while this one keeps the spinner going and watches for Esc.
 */
public final class DemoAgent {

    /** Calls an MCP tool; null when no MCP server is configured. */
    @FunctionalInterface
    public interface ToolCaller {
        McpHttpClient.Result call(String tool, JsonNode arguments);
    }

    static final String NO_MCP = "no MCP server configured";
    private static final long TICK_MILLIS = 100;

    private final Script script;
    private final String name;
    private final String scriptFileName;
    private final KeyReader keys;
    private final Screen screen;
    private final ToolCaller tools;
    /** Tool results kept with {@code remember:}, as {@code memory.<name>}, for the rest of the session. */
    private final Map<String, String> memory = new HashMap<>();
    /** Set by an {@code exit} step: the screen is left as it was, as a crashing CLI leaves it. */
    private boolean crashed;
    private final Function<String, String> env;
    private final Runnable beforeTurn;
    private final PromptTrace trace;
    private final StringBuilder input = new StringBuilder();
    private ExecutorService toolThread;
    private long turnStart;
    private int swallowed;

    /** Esc or Ctrl-C while busy: the turn stops. */
    private static final class Interrupt extends Exception {
        private static final long serialVersionUID = 1L;

        Interrupt() {
            super(null, null, false, false);
        }
    }

    /** The terminal went away mid-turn. */
    private static final class Gone extends Exception {
        private static final long serialVersionUID = 1L;

        Gone() {
            super(null, null, false, false);
        }
    }

    public DemoAgent(Script script, String name, String scriptFileName, KeyReader keys, Screen screen,
            ToolCaller tools, Function<String, String> env, Runnable beforeTurn) {
        this.script = script;
        this.name = name;
        this.scriptFileName = scriptFileName;
        this.keys = keys;
        this.screen = screen;
        this.tools = tools;
        this.env = env;
        this.beforeTurn = beforeTurn;
        this.trace = PromptTrace.fromEnv(env);
    }

    /** Runs until the user exits (0) or an {@code exit} step ends it (its code). */
    public int run() throws InterruptedException {
        try {
            screen.update(name, List.of(Renderer.banner(name, scriptFileName)), List.of(Renderer.STARTING));
            if (!script.startupDelay().isZero()) {
                Thread.sleep(script.startupDelay().toMillis());
            }
            keys.discardPending();
            idle(List.of());
            trace.ready();
            return loop();
        } finally {
            if (!crashed) {
                screen.update("", List.of(), List.of()); // no stale busy title once the shell is back
            }
            if (toolThread != null) {
                toolThread.shutdownNow();
            }
        }
    }

    private int loop() throws InterruptedException {
        boolean ctrlCArmed = false;
        while (true) {
            Key key = keys.take();
            boolean wasArmed = ctrlCArmed;
            ctrlCArmed = false;
            switch (key.kind()) {
                case TEXT -> input.append(key.text());
                case PASTE -> {
                    trace.pasted(key.text());
                    input.append(key.text());
                }
                case BACKSPACE -> {
                    if (!input.isEmpty()) {
                        input.setLength(input.offsetByCodePoints(input.length(), -1));
                    }
                }
                case CTRL_C -> {
                    if (input.isEmpty()) {
                        if (wasArmed) {
                            return 0;
                        }
                        ctrlCArmed = true;
                    }
                    input.setLength(0);
                }
                case CTRL_D -> {
                    if (input.isEmpty()) {
                        return 0;
                    }
                }
                case EOF -> {
                    return 0;
                }
                case ESC -> {
                    // nothing to interrupt
                }
                case ENTER -> {
                    String text = input.toString();
                    if (!text.isBlank() && swallowed < script.swallowEnters()) {
                        swallowed++; // plays a CLI that loses an Enter (e.g. pressed while it still starts up)
                        continue;
                    }
                    if (text.isBlank()) {
                        input.setLength(0);
                    } else {
                        input.setLength(0);
                        if (text.strip().equals("/exit")) {
                            screen.print(Renderer.prompt(text));
                            return 0;
                        }
                        trace.submitted(text);
                        Integer exit = turn(text);
                        if (exit != null) {
                            return exit;
                        }
                        continue;
                    }
                }
            }
            screen.live(Renderer.promptLive(input.toString()));
        }
    }

    /** Plays one turn; an exit code to end the process with, or null to go back to idle. */
    private Integer turn(String text) throws InterruptedException {
        beforeTurn.run();
        turnStart = System.nanoTime();
        screen.update(Renderer.titleBusy(name, 0), Renderer.prompt(text), List.of(Renderer.spinner(0, 0)));
        Script.Match match = script.match(text);
        Map<String, String> vars = new HashMap<>(memory);
        vars.putAll(match.vars());
        vars.put(Placeholders.TOOL_RESULT, "");
        Boolean permitted = null;
        List<String> answer = List.of();
        List<Step> steps = match.steps();
        try {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                boolean last = i == steps.size() - 1;
                switch (step) {
                    case Step.Think t -> busy(System.nanoTime() + t.duration().toNanos(), null);
                    case Step.Permission p -> permitted = ask(p.tool(),
                            Placeholders.expand(p.args(), vars, env).toString());
                    case Step.Tool t -> {
                        Boolean allowed = permitted;
                        permitted = null;
                        if (Boolean.FALSE.equals(allowed)) {
                            vars.put(Placeholders.TOOL_RESULT, "Denied by user");
                            screen.print(List.of(Renderer.calling(t.name()), Renderer.DENIED));
                        } else {
                            vars.put(Placeholders.TOOL_RESULT, callTool(t.name(), Placeholders.expand(t.args(), vars,
                                    env)));
                            if (t.remember() != null) {
                                memory.put("memory." + t.remember(), vars.get(Placeholders.TOOL_RESULT));
                                vars.put("memory." + t.remember(), vars.get(Placeholders.TOOL_RESULT));
                            }
                        }
                    }
                    case Step.Reply r -> answer = reply(Placeholders.expand(r.text(), vars, env), last);
                    case Step.ReplyLines r -> answer = reply(Renderer.numberedLines(r.count(), r.prefix()), last);
                    case Step.Error e -> {
                        List<String> lines = new ArrayList<>(Renderer.error(Placeholders.expand(e.text(), vars, env)));
                        lines.add("");
                        idle(lines);
                        return null;
                    }
                    case Step.Exit x -> {
                        // a crash mid-task: the CLI dies with its spinner still up, never back at its prompt
                        crashed = true;
                        return x.code();
                    }
                }
            }
            List<String> end = new ArrayList<>(answer);
            end.addAll(worked());
            idle(end);
            trace.promptDrawn();
            return null;
        } catch (Interrupt e) {
            idle(List.of(Renderer.INTERRUPTED, ""));
            return null;
        } catch (Gone e) {
            return 0;
        }
    }

    /** Prints an answer; the last step's answer is printed with the turn's footer, in one update. */
    private List<String> reply(String text, boolean last) {
        List<String> lines = new ArrayList<>(Renderer.answer(text.replaceAll("[\\r\\n]+$", ""), 0));
        lines.subList(lines.size() - 2, lines.size()).clear(); // the "worked" footer comes at the end of the turn
        if (last) {
            return lines;
        }
        screen.print(lines);
        return List.of();
    }

    private List<String> worked() {
        long millis = (System.nanoTime() - turnStart) / 1_000_000;
        return List.of("", Renderer.WORKED + Math.max(1, Math.round(millis / 1000.0)) + "s", "");
    }

    private void idle(List<String> printed) {
        screen.update(Renderer.titleIdle(name), printed, Renderer.promptLive(input.toString()));
    }

    /** The permission dialog; true for yes (1 or Enter), false for no (2 or Esc). */
    private boolean ask(String tool, String argsJson) throws InterruptedException, Interrupt, Gone {
        screen.update(Renderer.titleWaiting(name), List.of(), Renderer.dialog(tool, argsJson));
        Boolean answer = null;
        while (answer == null) {
            Key key = keys.take();
            answer = switch (key.kind()) {
                case ENTER -> true;
                case ESC -> false;
                case TEXT -> key.text().startsWith("1") ? Boolean.TRUE : key.text().startsWith("2") ? Boolean.FALSE
                        : null;
                case CTRL_C -> throw new Interrupt();
                case EOF -> throw new Gone();
                default -> null;
            };
        }
        screen.update(Renderer.titleBusy(name, frame()), List.of(Renderer.permissionAnswer(tool, answer)),
                List.of(Renderer.spinner(frame(), seconds())));
        return answer;
    }

    /** Runs the tool call with the spinner going; the value for {@code ${tool.result}}. */
    private String callTool(String tool, JsonNode args) throws InterruptedException, Interrupt, Gone {
        screen.print(Renderer.calling(tool));
        McpHttpClient.Result result;
        if (tools == null) {
            result = new McpHttpClient.Result(true, NO_MCP);
        } else {
            if (toolThread == null) {
                toolThread = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "demo-agent-mcp");
                    t.setDaemon(true);
                    return t;
                });
            }
            Future<McpHttpClient.Result> call = toolThread.submit(() -> tools.call(tool, args));
            try {
                busy(0, call);
                result = call.get();
            } catch (Interrupt e) {
                call.cancel(true);
                throw e;
            } catch (java.util.concurrent.ExecutionException e) {
                result = new McpHttpClient.Result(true, String.valueOf(e.getCause()));
            }
        }
        String value = result.error() ? "Error: " + result.text() : result.text();
        screen.print(Renderer.result(value));
        return value;
    }

    /** Spinner until the deadline passes or {@code until} is done; Esc or Ctrl-C interrupt, other keys are dropped. */
    private void busy(long deadline, Future<?> until) throws InterruptedException, Interrupt, Gone {
        while (true) {
            int frame = frame();
            screen.update(Renderer.titleBusy(name, frame), List.of(), List.of(Renderer.spinner(frame, seconds())));
            long wait = TICK_MILLIS - (elapsedMillis() % TICK_MILLIS);
            if (until != null) {
                if (until.isDone()) {
                    return;
                }
            } else {
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (left <= 0) {
                    return;
                }
                wait = Math.min(wait, left);
            }
            Key key = keys.poll(Math.max(1, wait));
            if (key != null) {
                switch (key.kind()) {
                    case ESC, CTRL_C -> throw new Interrupt();
                    case EOF -> throw new Gone();
                    default -> {
                        // typing while busy is dropped
                    }
                }
            }
        }
    }

    private long elapsedMillis() {
        return (System.nanoTime() - turnStart) / 1_000_000;
    }

    private int frame() {
        return (int) (elapsedMillis() / TICK_MILLIS);
    }

    private long seconds() {
        return elapsedMillis() / 1000;
    }
}
