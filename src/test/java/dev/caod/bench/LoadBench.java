package dev.caod.bench;

import static dev.caod.bench.BenchSupport.env;
import static dev.caod.bench.BenchSupport.rssKib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.CreateTerminalRequest;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.GetMessageRequest;
import dev.caod.api.v1.ListFlowRunsRequest;
import dev.caod.api.v1.ListTerminalsRequest;
import dev.caod.api.v1.MessageState;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.SendMessageRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.TerminalLifecycle;
import dev.caod.cli.DaemonClient;

/**
 * The load benchmark (bench/load.sh): N demo agents and F flows (every 60 s each) under continuous messaging for a
 * while, then the daemon restarted (SIGTERM, or SIGKILL with --restart kill) while the messages keep coming, then
 * more load. Reports messages sent / delivered / failed / lost / duplicated (every tag counted in the agents' own
 * traces), the daemon's RSS over time, the recovery time after the restart, and the flow runs. This client starts and
 * restarts the daemon itself (bin/caod serve on the script's throw-away home).
 */
public final class LoadBench {

    static final String PROFILE = "bench_load_instant";
    static final Set<String> OPTIONS = Set.of("root", "home", "tmux-socket", "agents", "flows", "minutes",
            "after-minutes", "rate", "restart");
    static final String USAGE = "usage: LoadBench --root <checkout> --home <dir> --tmux-socket <name> [--agents 50]"
            + " [--flows 20] [--minutes 10] [--after-minutes 2] [--rate 10] [--restart term|kill]";
    private static final Pattern TAG = Pattern.compile("\\[l-(\\d+)]");

    private final Path root;
    private final Path home;
    private final String tmuxSocket;
    private Process daemon;
    private volatile DaemonClient client;

    private LoadBench(Path root, Path home, String tmuxSocket) {
        this.root = root;
        this.home = home;
        this.tmuxSocket = tmuxSocket;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = BenchSupport.options(args, OPTIONS, USAGE);
        LoadBench bench = new LoadBench(Path.of(BenchSupport.required(opt, "root", USAGE)),
                Path.of(BenchSupport.required(opt, "home", USAGE)), BenchSupport.required(opt, "tmux-socket", USAGE));
        String restart = opt.getOrDefault("restart", "term");
        if (!Set.of("term", "kill").contains(restart)) {
            throw new IllegalArgumentException("--restart term|kill; " + USAGE);
        }
        try {
            bench.run(BenchSupport.intOption(opt, "agents", 50, 2), BenchSupport.intOption(opt, "flows", 20, 0),
                    BenchSupport.intOption(opt, "minutes", 10, 1), BenchSupport.intOption(opt, "after-minutes", 2, 1),
                    BenchSupport.intOption(opt, "rate", 10, 1), restart.equals("kill"));
        } finally {
            bench.stopDaemon(false);
            if (bench.client != null) {
                bench.client.close(); // its event loop would keep this JVM alive
            }
        }
    }

    private void run(int agents, int flows, int minutes, int afterMinutes, int rate, boolean kill) throws Exception {
        startDaemon();
        var status = BenchSupport.daemonStatus(client);
        BenchSupport.installDemoAgents(status, Map.of(PROFILE, BenchSupport.INSTANT_SCRIPT), "load benchmark agent");
        Path work = Files.createDirectories(home.resolve("work"));

        List<Path> traces = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            traces.add(Files.writeString(work.resolve("trace-" + i + ".txt"), ""));
        }
        var created = sessions().createSession(CreateSessionRequest.newBuilder().setProfile(PROFILE).setProvider("demo")
                .setWorkingDirectory(work.toString()).addEnv(env("CAOD_DEMO_TRACE", traces.getFirst())).build());
        String session = created.getSession().getId();
        List<String> ids = new ArrayList<>(List.of(created.getSupervisor().getId()));
        BenchSupport.awaitStatus(sessions(), ids.getFirst(), Duration.ofMinutes(2),
                dev.caod.api.v1.TerminalStatus.TERMINAL_STATUS_IDLE);
        BenchSupport.addIdleTerminals(sessions(), ids, agents, i -> CreateTerminalRequest.newBuilder()
                .setSessionId(session).setProfile(PROFILE).setProvider("demo")
                .addEnv(env("CAOD_DEMO_TRACE", traces.get(i))).build());
        // the flows come once the agents are up: fifty JVM starts at once already fill two cores
        writeFlows(Path.of(status.getConfigDir()).resolve("flows"), flows, work);
        System.err.printf("load: %d agents idle, %d flows every 60 s; messaging at %d/s for %d min, then a restart"
                + " (%s), then %d min more%n", agents, flows, rate, minutes, kill ? "SIGKILL" : "SIGTERM", afterMinutes);

        Sender sender = new Sender(ids);
        List<long[]> rss = new CopyOnWriteArrayList<>(); // {seconds since start, KiB, messages sent}
        long start = System.nanoTime();
        // both paced by the clock (the offered rate, the sampling period), never by sleeping
        var ticks = java.util.concurrent.Executors.newScheduledThreadPool(2);
        ticks.scheduleAtFixedRate(sender::tick, 0, 1_000_000_000L / rate, java.util.concurrent.TimeUnit.NANOSECONDS);
        ticks.scheduleAtFixedRate(() -> rss.add(new long[] { (System.nanoTime() - start) / 1_000_000_000L,
                rssKib(daemon.pid()), sender.stored.size() }), 0, 30, java.util.concurrent.TimeUnit.SECONDS);

        // the load period: as many messages as the rate offers in that time
        awaitStored(sender, (long) rate * 60 * minutes, Duration.ofMinutes(minutes + 5));
        long restartAt = System.nanoTime();
        stopDaemon(kill);
        long downAt = System.nanoTime();
        startDaemon();
        long servingAt = System.nanoTime();
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> sessions()
                .listTerminals(ListTerminalsRequest.newBuilder().setSessionId(session).build()).getTerminalsList()
                .stream().filter(t -> t.getLifecycle() == TerminalLifecycle.TERMINAL_LIFECYCLE_RUNNING).count() == agents);
        long adoptedAt = System.nanoTime();
        int firstAfter = sender.stored.size();
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> sender.stored.size() > firstAfter && state(sender.stored.get(firstAfter).id)
                        == MessageState.MESSAGE_STATE_DELIVERED);
        long deliveringAt = System.nanoTime();

        awaitStored(sender, (long) rate * 60 * (minutes + afterMinutes), Duration.ofMinutes(afterMinutes + 5));
        ticks.shutdownNow();
        ticks.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        rss.add(new long[] { (System.nanoTime() - start) / 1_000_000_000L, rssKib(daemon.pid()), sender.stored.size() });

        System.err.printf("load: %d messages stored; waiting for each to be delivered or to fail%n", sender.stored.size());
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> sender.stored
                .stream().allMatch(m -> isFinal(state(m.id))));
        int delivered = 0;
        int failed = 0;
        for (Sent m : sender.stored) {
            MessageState s = state(m.id);
            delivered += s == MessageState.MESSAGE_STATE_DELIVERED ? 1 : 0;
            failed += s == MessageState.MESSAGE_STATE_FAILED ? 1 : 0;
        }
        int[] typed = new int[sender.next.get()];
        for (Path trace : traces) {
            for (Map.Entry<String, Integer> e : new MessagingBench.Trace(trace).pastedTags(TAG).entrySet()) {
                Matcher m = TAG.matcher(e.getKey());
                if (m.matches() && Integer.parseInt(m.group(1)) < typed.length) {
                    typed[Integer.parseInt(m.group(1))] += e.getValue();
                }
            }
        }
        int lost = 0;
        int duplicated = 0;
        for (Sent m : sender.stored) {
            lost += typed[m.tag] == 0 ? 1 : 0;
            duplicated += typed[m.tag] > 1 ? 1 : 0;
        }
        report(agents, flows, rate, kill, sender, delivered, failed, lost, duplicated, rss,
                new long[] { downAt - restartAt, servingAt - downAt, adoptedAt - downAt, deliveringAt - downAt },
                flowRuns(flows));
    }

    private static void awaitStored(Sender sender, long count, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> sender.stored.size() >= count);
    }

    /**
     * One message between random agents per tick; a call refused while the daemon restarts is tried again on the
     * next tick, so the restart delays messages but loses none.
     */
    private final class Sender {
        final List<String> ids;
        final List<Sent> stored = new CopyOnWriteArrayList<>();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        private final Random random = new Random(42);
        private SendMessageRequest pending;
        private int pendingTag;

        Sender(List<String> ids) {
            this.ids = ids;
        }

        void tick() {
            if (pending == null) {
                pendingTag = next.getAndIncrement();
                int from = random.nextInt(ids.size());
                int to = (from + 1 + random.nextInt(ids.size() - 1)) % ids.size();
                pending = SendMessageRequest.newBuilder().setSenderTerminalId(ids.get(from))
                        .setReceiverTerminalId(ids.get(to)).setBody("[l-" + pendingTag + "] load message " + pendingTag)
                        .build();
            }
            try {
                stored.add(new Sent(pendingTag, messaging().sendMessage(pending).getMessage().getId()));
                pending = null;
            } catch (RuntimeException e) { // the daemon is restarting: the same message on the next tick
                refused.incrementAndGet();
            }
        }
    }

    record Sent(int tag, long id) {
    }

    private MessageState state(long id) {
        return messaging().getMessage(GetMessageRequest.newBuilder().setMessageId(id).build()).getMessage().getState();
    }

    private static boolean isFinal(MessageState s) {
        return s == MessageState.MESSAGE_STATE_DELIVERED || s == MessageState.MESSAGE_STATE_FAILED;
    }

    private static void writeFlows(Path folder, int flows, Path work) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < flows; i++) {
            Files.writeString(folder.resolve("load-" + i + ".md"), "---\nname: load-" + i + "\nschedule: \"@every 60s\"\n"
                    + "agent_profile: " + PROFILE + "\nprovider: demo\nworking_directory: " + work + "\n---\n"
                    + "flow " + i + " says hello\n");
        }
    }

    /** {succeeded, failed, skipped or other} over all flows' recorded runs. */
    private int[] flowRuns(int flows) {
        var stub = client.stub(FlowServiceGrpc.newBlockingStub(client.channel()));
        int[] out = new int[3];
        for (int i = 0; i < flows; i++) {
            for (var run : stub.listFlowRuns(ListFlowRunsRequest.newBuilder().setFlowName("load-" + i).setLimit(1000)
                    .build()).getRunsList()) {
                String outcome = run.getOutcome().name();
                out[outcome.endsWith("SUCCEEDED") ? 0 : outcome.endsWith("FAILED") ? 1 : 2]++;
            }
        }
        return out;
    }

    private void report(int agents, int flows, int rate, boolean kill, Sender sender, int delivered, int failed,
            int lost, int duplicated, List<long[]> rss, long[] recovery, int[] runs) {
        System.out.println();
        System.out.println("### Load: " + agents + " demo agents, " + flows + " flows, continuous messaging, a restart"
                + " under load");
        System.out.println();
        System.out.println("| messages sent | delivered | failed | lost | duplicated | calls refused during the restart"
                + " (retried) |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %d | %d | %d | **%d** | **%d** | %d |%n", sender.stored.size(), delivered,
                failed, lost, duplicated, sender.refused.get());
        System.out.println();
        System.out.printf(Locale.ROOT, "Offered load %d messages/s between random agents. Restart by %s: the daemon"
                + " stopped in %.1f s; the new one served its socket %.1f s later; all %d agents re-adopted (running)"
                + " %.1f s after the stop; the first message sent after the restart was delivered %.1f s after the"
                + " stop.%n", rate, kill ? "SIGKILL" : "SIGTERM", recovery[0] / 1e9, recovery[1] / 1e9, agents,
                recovery[2] / 1e9, recovery[3] / 1e9);
        System.out.printf(Locale.ROOT, "Flow runs recorded: %d succeeded, %d failed, %d other (skipped overlaps,"
                + " interrupted by the restart).%n", runs[0], runs[1], runs[2]);
        System.out.println();
        System.out.println("| time | daemon RSS | messages stored so far |");
        System.out.println("|---|---|---|");
        for (long[] r : rss) {
            System.out.printf(Locale.ROOT, "| %d min %02d s | %d MiB | %d |%n", r[0] / 60, r[0] % 60, r[1] / 1024, r[2]);
        }
        System.out.println();
        System.out.println("Lost = never typed into its receiver (failed included); duplicated = typed more than once;"
                + " both counted from the agents' own traces. Target: 0 lost, 0 duplicated.");
    }

    // ---- the daemon process

    private void startDaemon() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/caod").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("serve.log")
                        .toFile()));
        pb.environment().put("CAOD_HOME", home.toString());
        pb.environment().put("CAOD_NO_BUILD", "1");
        pb.environment().put("CAOD_JAVA_OPTS", "-Dquarkus.http.port=0 -Dcaod.tmux.socket-name=" + tmuxSocket);
        daemon = pb.start(); // bin/caod execs the JVM: this is the daemon's pid
        Files.writeString(home.resolve("daemon.pid"), Long.toString(daemon.pid()));
        Path socket = home.resolve("run/caod.sock");
        AtomicReference<DaemonClient> connected = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("the daemon did not come up; see " + home.resolve("serve.log"));
            }
            if (!Files.exists(socket)) {
                return false;
            }
            DaemonClient c = DaemonClient.forSocket(socket, Duration.ofMinutes(2));
            try {
                BenchSupport.daemonStatus(c);
                connected.set(c);
                return true;
            } catch (RuntimeException e) {
                c.close();
                return false;
            }
        });
        DaemonClient old = client;
        client = connected.get();
        if (old != null) {
            old.close();
        }
    }

    private void stopDaemon(boolean kill) throws InterruptedException {
        if (daemon == null || !daemon.isAlive()) {
            return;
        }
        if (kill) {
            daemon.destroyForcibly();
        } else {
            daemon.destroy();
        }
        daemon.waitFor();
    }

    private SessionServiceGrpc.SessionServiceBlockingStub sessions() {
        return client.stub(SessionServiceGrpc.newBlockingStub(client.channel()));
    }

    private MessagingServiceGrpc.MessagingServiceBlockingStub messaging() {
        return client.stub(MessagingServiceGrpc.newBlockingStub(client.channel()));
    }
}
