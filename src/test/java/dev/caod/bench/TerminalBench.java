package dev.caod.bench;

import static dev.caod.bench.BenchSupport.env;
import static dev.caod.bench.BenchSupport.epochMicrosNow;
import static dev.caod.bench.BenchSupport.micros;
import static dev.caod.bench.BenchSupport.percentileHeader;
import static dev.caod.bench.BenchSupport.row;
import static dev.caod.bench.BenchSupport.rssKib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.CreateSessionResponse;
import dev.caod.api.v1.CreateTerminalRequest;
import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.cli.DaemonClient;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;

/**
 * The terminal benchmarks behind {@code bench/terminals.sh}, run against a live daemon over its socket:
 * <ol>
 * <li><b>latency</b>: turns of a scripted demo agent; per turn, the time from the agent drawing its idle prompt after
 * the answer (its {@code CAOD_DEMO_TRACE} line) to the daemon publishing the {@code completed} status event
 * ({@code Event.at}) and to this client receiving it;</li>
 * <li><b>idle</b>: the daemon's CPU (utime + stime from {@code /proc/<pid>/stat}) while N demo terminals sit idle,
 * with its RSS, the private tmux server's CPU and the agents' total RSS.</li>
 * </ol>
 * Prints Markdown tables on stdout, progress on stderr. Usage:
 * {@code TerminalBench --socket <caod.sock> [--turns 200] [--warmup 10] [--terminals 50] [--idle-seconds 60]
 * [--quiet-seconds 5] [--tmux-socket <name>] [--only latency|idle]}
 */
public final class TerminalBench {

    static final String LATENCY_PROFILE = "bench_latency";
    static final String IDLE_PROFILE = "bench_idle";
    static final String SCRIPT = """
            # written by dev.caod.bench.TerminalBench
            name: bench
            default:
              - think: 50ms
              - reply: "BENCH-ECHO: ${input}"
            """;
    static final Set<String> OPTIONS = Set.of("socket", "turns", "warmup", "terminals", "idle-seconds",
            "quiet-seconds", "tmux-socket", "only");
    static final String USAGE = "usage: TerminalBench --socket <path> [--turns 200] [--warmup 10] [--terminals 50]"
            + " [--idle-seconds 60] [--quiet-seconds 5] [--tmux-socket NAME] [--only latency|idle]";

    private final DaemonClient client;
    private final GetStatusResponse daemon;
    private final Path work;

    private TerminalBench(DaemonClient client, GetStatusResponse daemon, Path work) {
        this.client = client;
        this.daemon = daemon;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = BenchSupport.options(args, OPTIONS, USAGE);
        Path socket = Path.of(BenchSupport.required(opt, "socket", USAGE));
        int turns = BenchSupport.intOption(opt, "turns", 200, 1);
        int warmup = BenchSupport.intOption(opt, "warmup", 10, 0);
        int terminals = BenchSupport.intOption(opt, "terminals", 50, 1);
        int idleSeconds = BenchSupport.intOption(opt, "idle-seconds", 60, 1);
        int quietSeconds = BenchSupport.intOption(opt, "quiet-seconds", 5, 0);
        String only = BenchSupport.only(opt, List.of("latency", "idle"));
        String tmuxSocket = opt.get("tmux-socket");

        try (DaemonClient client = DaemonClient.forSocket(socket, Duration.ofMinutes(5))) {
            GetStatusResponse status = BenchSupport.daemonStatus(client);
            BenchSupport.installDemoAgents(status, Map.of(LATENCY_PROFILE, SCRIPT, IDLE_PROFILE, SCRIPT),
                    "benchmark agent");
            Path work = Files.createTempDirectory("caod-bench-");
            TerminalBench bench = new TerminalBench(client, status, work);
            try {
                if (!only.equals("idle")) {
                    bench.latency(turns, warmup);
                }
                if (!only.equals("latency")) {
                    bench.idle(terminals, Duration.ofSeconds(idleSeconds), Duration.ofSeconds(quietSeconds),
                            tmuxSocket);
                }
            } finally {
                BenchSupport.deleteWorkDir(work);
            }
        }
    }

    // ---- detection latency

    private void latency(int turns, int warmup) throws Exception {
        Path trace = work.resolve("prompt-trace.txt");
        Files.writeString(trace, "");
        BlockingQueue<Received> events = new LinkedBlockingQueue<>();
        Context.CancellableContext watch = BenchSupport.watchEvents(client, new StreamObserver<>() {
            @Override
            public void onNext(Event e) {
                events.add(new Received(e, System.nanoTime()));
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        }, EventKind.EVENT_KIND_STATUS_CHANGED);
        // nanoTime-based receipt stamps are converted to epoch micros with one offset taken now
        long epochOffsetMicros = epochMicrosNow() - System.nanoTime() / 1000;

        CreateSessionResponse created = sessions().createSession(CreateSessionRequest.newBuilder()
                .setProfile(LATENCY_PROFILE).setProvider("demo").setWorkingDirectory(work.toString())
                .addEnv(env("CAOD_DEMO_TRACE", trace)).build());
        String session = created.getSession().getId();
        String terminal = created.getSupervisor().getId();
        try {
            awaitStatus(terminal, Duration.ofMinutes(2), TerminalStatus.TERMINAL_STATUS_IDLE);
            System.err.printf("latency: terminal %s idle; %d warm-up turns, then %d measured%n", terminal, warmup,
                    turns);
            long[] detect = new long[turns];
            long[] received = new long[turns];
            long[] roundTrip = new long[turns];
            long[] sendCall = new long[turns];
            int traceLines = 0;
            for (int i = -warmup; i < turns; i++) {
                long sent = System.nanoTime();
                sessions().sendInput(SendInputRequest.newBuilder().setTerminalId(terminal).setText("turn " + i)
                        .build());
                long sendReturned = System.nanoTime();
                Received done = nextCompleted(events, terminal, Duration.ofSeconds(30));
                long receivedMicros = done.nanos() / 1000 + epochOffsetMicros;
                long atMicros = micros(done.event().getAt());
                List<Long> prompts = prompts(trace);
                if (prompts.size() != traceLines + 1) {
                    throw new IllegalStateException("turn " + i + ": expected one new prompt trace line, found "
                            + (prompts.size() - traceLines));
                }
                traceLines = prompts.size();
                long prompt = prompts.getLast();
                if (prompt > atMicros) {
                    throw new IllegalStateException("turn " + i + ": completed event (" + atMicros
                            + ") before the prompt was drawn (" + prompt + ")");
                }
                if (i >= 0) {
                    detect[i] = atMicros - prompt;
                    received[i] = receivedMicros - prompt;
                    roundTrip[i] = (done.nanos() - sent) / 1000;
                    sendCall[i] = (sendReturned - sent) / 1000;
                }
                if (i >= 0 && (i + 1) % 50 == 0) {
                    System.err.printf("latency: %d/%d turns%n", i + 1, turns);
                }
            }
            System.out.println();
            percentileHeader("turns");
            row("prompt drawn → `completed` event published (`Event.at`)", detect);
            row("prompt drawn → event received by the client", received);
            row("SendInput call (paste, Enter, until the CLI reacted)", sendCall);
            row("SendInput sent → `completed` received (whole turn, 50 ms think)", roundTrip);
            System.out.printf("%nSendInput calls that took over 1 s: %d of %d.%n",
                    Arrays.stream(sendCall).filter(us -> us > 1_000_000).count(), turns);
        } finally {
            watch.cancel(null);
            sessions().deleteSession(DeleteSessionRequest.newBuilder().setSessionId(session).build());
        }
    }

    /** An event and when this client received it ({@link System#nanoTime}). */
    private record Received(Event event, long nanos) {
    }

    private static Received nextCompleted(BlockingQueue<Received> events, String terminal, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received r = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new IllegalStateException("no completed event for " + terminal + " within " + timeout);
            }
            Event e = r.event();
            if (e.getTerminalId().equals(terminal)
                    && e.getStatusChanged().getCurrent() == TerminalStatus.TERMINAL_STATUS_COMPLETED) {
                return r;
            }
        }
    }

    private static List<Long> prompts(Path trace) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
            if (line.startsWith("prompt ")) {
                out.add(Long.parseLong(line.substring(7).strip()));
            }
        }
        return out;
    }

    // ---- idle CPU

    private void idle(int count, Duration window, Duration quiet, String tmuxSocket) throws Exception {
        System.err.printf("idle: starting %d demo terminals%n", count);
        long t0 = System.nanoTime();
        CreateSessionResponse created = sessions().createSession(CreateSessionRequest.newBuilder()
                .setProfile(IDLE_PROFILE).setProvider("demo").setWorkingDirectory(work.toString()).build());
        String session = created.getSession().getId();
        List<String> ids = new ArrayList<>(List.of(created.getSupervisor().getId()));
        try {
            awaitStatus(ids.getFirst(), Duration.ofMinutes(2), TerminalStatus.TERMINAL_STATUS_IDLE);
            BenchSupport.addIdleTerminals(sessions(), ids, count, i -> CreateTerminalRequest.newBuilder()
                    .setSessionId(session).setProfile(IDLE_PROFILE).setProvider("demo").build());
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "idle: all %d idle after %.1f s; waiting %d s, then measuring %d s%n",
                    count, startSeconds, quiet.toSeconds(), window.toSeconds());
            // a measurement window, not a wait for an outcome: idle CPU is by definition measured over time
            Thread.sleep(quiet.toMillis());

            long pid = daemon.getPid();
            long tmuxPid = tmuxSocket == null ? -1 : tmuxServerPid(tmuxSocket);
            BenchSupport.CpuWindow used = BenchSupport.cpuOver(window, pid, tmuxPid);
            long rss = rssKib(pid);
            List<Long> agents = agentPids();
            long agentsRss = 0;
            for (long p : agents) {
                agentsRss += rssKib(p);
            }
            System.out.println();
            System.out.println("| idle demo terminals | window | daemon CPU (% of one core) | daemon RSS"
                    + " | tmux server CPU | demo agents' RSS (total) |");
            System.out.println("|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| %d | %.0f s | %.2f %% (%d ticks) | %d MiB | %s | %d MiB over %d JVMs"
                    + " (%d MiB each) |%n", count, used.seconds(), used.percent(0), used.ticks()[0], rss / 1024,
                    tmuxPid > 0 ? String.format(Locale.ROOT, "%.2f %%", used.percent(1)) : "n/a",
                    agentsRss / 1024, agents.size(), agents.isEmpty() ? 0 : agentsRss / 1024 / agents.size());
            System.out.printf(Locale.ROOT, "%nAll %d terminals idle %.1f s after the first CreateSession;"
                    + " measured from %d s later.%n", count, startSeconds, quiet.toSeconds());
            System.out.println("Daemon threads that used CPU in the window (ticks of 1/" + (long) used.ticksPerSecond()
                    + " s): " + used.busiest());
        } finally {
            sessions().deleteSession(DeleteSessionRequest.newBuilder().setSessionId(session).build());
        }
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> agentPids().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("demo agents still running after DeleteSession: " + agentPids());
        }
        System.err.println("idle: session deleted, no demo agent left");
    }

    /**
     * Demo agents of this daemon: java processes whose command line names demo-agent and a script under its config
     * dir (the tmux server, started by the first new-session, carries that command line too, but not as java).
     */
    private List<Long> agentPids() {
        String marker = daemon.getConfigDir();
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
            String[] argv = cmdline(pid).split("\0");
            String c = String.join(" ", argv);
            return (argv[0].equals("java") || argv[0].endsWith("/java")) && c.contains("demo-agent")
                    && c.contains(marker);
        }).toList();
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long tmuxServerPid(String socketName) {
        String out = BenchSupport.output("tmux", "-L", socketName, "display-message", "-p", "#{pid}");
        return out.isBlank() ? -1 : Long.parseLong(out.strip());
    }

    // ---- helpers

    private SessionServiceGrpc.SessionServiceBlockingStub sessions() {
        return client.stub(SessionServiceGrpc.newBlockingStub(client.channel()));
    }

    private void awaitStatus(String terminal, Duration timeout, TerminalStatus... anyOf) {
        BenchSupport.awaitStatus(sessions(), terminal, timeout, anyOf);
    }
}
