package dev.caod.bench;

import static dev.caod.bench.BenchSupport.epochMicrosNow;
import static dev.caod.bench.BenchSupport.micros;
import static dev.caod.bench.BenchSupport.percentileHeader;
import static dev.caod.bench.BenchSupport.row;
import static dev.caod.bench.BenchSupport.rssKib;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.DisableFlowRequest;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.Flow;
import dev.caod.api.v1.FlowRun;
import dev.caod.api.v1.FlowRunOutcome;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.FlowState;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.api.v1.ListFlowRunsRequest;
import dev.caod.api.v1.ListFlowsRequest;
import dev.caod.api.v1.ListSessionsRequest;
import dev.caod.api.v1.OrchestrationAction;
import dev.caod.api.v1.Session;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.cli.DaemonClient;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * The flow benchmarks behind {@code bench/flows.sh}, run against a live daemon over its socket. Flow files are written
 * straight into the daemon's {@code <config>/flows/} folder (from {@code GetStatus}), as a person drops them there:
 * <ol>
 * <li><b>accuracy</b>: N flows {@code @every <interval>}, each running a demo agent that replies at once, until R runs
 * are recorded (each flow is disabled once it has its share); per run, from its scheduled time to the run's start
 * ({@code FlowRun.started_at}) and to the prompt typed into the agent (the {@code TASK_SENT} orchestration event of
 * the run's session, published right after the paste was submitted), and the runs' outcomes. The files are written
 * spread over one interval, so that the runs spread too;</li>
 * <li><b>idle</b>: M valid flows with a far-away cron: the time from writing their files to the daemon listing all of
 * them scheduled, and the daemon's CPU (utime + stime from {@code /proc/<pid>/stat}) and RSS over an idle window,
 * against the same window before the files were written.</li>
 * </ol>
 * Every flow file is deleted at the end, and any session a run left open. Prints Markdown tables on stdout, progress
 * on stderr. Usage: {@code FlowBench --socket <caod.sock> [--flows 20] [--every 20s] [--runs 100] [--idle-flows 200]
 * [--idle-seconds 60] [--quiet-seconds 10] [--only accuracy|idle]}
 */
public final class FlowBench {

    /** The flows' agent: {@link BenchSupport#INSTANT_SCRIPT}, replying at once. */
    static final String PROFILE = "bench_flow_instant";
    /** The idle flows' schedule: 03:00 on the first of January, far from any benchmark. */
    static final String FAR_AWAY = "0 3 1 1 *";
    /** How long one run may take: the instant agent needs a few seconds, a loaded machine more. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    static final Pattern INTERVAL = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    static final Set<String> OPTIONS = Set.of("socket", "flows", "every", "runs", "idle-flows", "idle-seconds",
            "quiet-seconds", "only");
    static final String USAGE = "usage: FlowBench --socket <path> [--flows 20] [--every 20s] [--runs 100]"
            + " [--idle-flows 200] [--idle-seconds 60] [--quiet-seconds 10] [--only accuracy|idle]";

    /** The daemon, its flow folder and what its event stream said. */
    private record Bench(DaemonClient client, GetStatusResponse daemon, Path folder, Path work, Seen seen) {
    }

    private final Bench b;

    private FlowBench(Bench b) {
        this.b = b;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = BenchSupport.options(args, OPTIONS, USAGE);
        Path socket = Path.of(BenchSupport.required(opt, "socket", USAGE));
        int flows = BenchSupport.intOption(opt, "flows", 20, 1);
        Duration every = interval(opt.getOrDefault("every", "20s"));
        int runs = BenchSupport.intOption(opt, "runs", 100, flows);
        int idleFlows = BenchSupport.intOption(opt, "idle-flows", 200, 1);
        int idleSeconds = BenchSupport.intOption(opt, "idle-seconds", 60, 1);
        int quietSeconds = BenchSupport.intOption(opt, "quiet-seconds", 10, 0);
        String only = BenchSupport.only(opt, List.of("accuracy", "idle"));

        try (DaemonClient client = DaemonClient.forSocket(socket, Duration.ofMinutes(5))) {
            GetStatusResponse status = BenchSupport.daemonStatus(client);
            BenchSupport.installDemoAgents(status, Map.of(PROFILE, BenchSupport.INSTANT_SCRIPT),
                    "flow benchmark agent");
            Path folder = Files.createDirectories(Path.of(status.getConfigDir()).resolve("flows"));
            Path work = Files.createTempDirectory("caod-flow-bench-");
            Seen seen = new Seen();
            Context.CancellableContext watch = BenchSupport.watchEvents(client, seen, EventKind.EVENT_KIND_FLOW_RUN,
                    EventKind.EVENT_KIND_FLOW_FILE, EventKind.EVENT_KIND_ORCHESTRATION);
            FlowBench bench = new FlowBench(new Bench(client, status, folder, work, seen));
            try {
                if (!only.equals("idle")) {
                    bench.accuracy(flows, every, runs);
                }
                if (!only.equals("accuracy")) {
                    bench.idle(idleFlows, Duration.ofSeconds(idleSeconds), Duration.ofSeconds(quietSeconds));
                }
            } finally {
                watch.cancel(null);
                BenchSupport.deleteWorkDir(work);
            }
        }
    }

    /** {@code --every}: {@code 20s}, {@code 2m}, {@code 1h30m}, as a flow's {@code @every} takes it. */
    static Duration interval(String text) {
        Matcher m = INTERVAL.matcher(text);
        Duration d = Duration.ZERO;
        if (m.matches()) {
            d = Duration.ofHours(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                    .plusMinutes(m.group(2) == null ? 0 : Long.parseLong(m.group(2)))
                    .plusSeconds(m.group(3) == null ? 0 : Long.parseLong(m.group(3)));
        }
        if (d.isZero()) {
            throw new IllegalArgumentException("--every: a duration of at least 1s such as 20s, 2m or 1h30m, not `"
                    + text + "`");
        }
        return d;
    }

    // ---- 1. schedule accuracy

    private void accuracy(int count, Duration every, int runs) throws Exception {
        List<String> names = names("bench-every-", count);
        int[] quota = new int[count];
        for (int i = 0; i < count; i++) {
            quota[i] = runs / count + (i < runs % count ? 1 : 0);
        }
        long spreadNanos = every.toNanos() / count;
        Duration limit = every.multipliedBy(quota[0] + 1).plus(RUN_TIMEOUT).plusMinutes(2);
        System.err.printf(Locale.ROOT, "accuracy: %d flows @every %ds, written %.1f s apart; %d runs in all (at most"
                + " %d s)%n", count, every.toSeconds(), spreadNanos / 1e9, runs, limit.toSeconds());
        Set<String> disabled = new HashSet<>();
        try {
            long start = System.nanoTime();
            int written = 0;
            while (disabled.size() < count || b.seen().running(names) > 0) {
                while (written < count && System.nanoTime() - start >= written * spreadNanos) {
                    String name = names.get(written++);
                    write(name, flowFile(name, "@every " + every.toSeconds() + "s", "[" + name + "] Answer at once."));
                }
                for (int i = 0; i < count; i++) {
                    String name = names.get(i);
                    if (!disabled.contains(name) && b.seen().runsOf(name) >= quota[i]) {
                        flows().disableFlow(DisableFlowRequest.newBuilder().setName(name).build());
                        disabled.add(name);
                        System.err.printf("accuracy: %d/%d flows have all their runs%n", disabled.size(), count);
                    }
                }
                b.seen().check();
                if (System.nanoTime() - start > limit.toNanos()) {
                    throw new IllegalStateException("accuracy: not all runs recorded and ended within " + limit
                            + "; flows with all their runs: " + disabled.size() + " of " + count + ", runs still"
                            + " going: " + b.seen().running(names));
                }
                // a poll of what the event stream collected, not a wait for an outcome on its own
                Thread.sleep(50);
            }
            report(names, quota, every);
        } finally {
            removeFlows(names);
        }
    }

    private void report(List<String> names, int[] quota, Duration every) {
        List<FlowRun> counted = new ArrayList<>();
        int extra = 0;
        long minGap = Long.MAX_VALUE;
        long maxGap = 0;
        for (int i = 0; i < names.size(); i++) {
            List<FlowRun> all = new ArrayList<>(flows().listFlowRuns(ListFlowRunsRequest.newBuilder()
                    .setFlowName(names.get(i)).setLimit(quota[i] + 100).build()).getRunsList());
            all.sort(Comparator.comparingLong(FlowRun::getId));
            extra += all.size() - quota[i];
            List<FlowRun> mine = all.subList(0, quota[i]);
            for (int k = 1; k < mine.size(); k++) {
                long gap = micros(mine.get(k).getScheduledAt()) - micros(mine.get(k - 1).getScheduledAt());
                minGap = Math.min(minGap, gap);
                maxGap = Math.max(maxGap, gap);
            }
            counted.addAll(mine);
        }
        Map<FlowRunOutcome, Integer> outcomes = new EnumMap<>(FlowRunOutcome.class);
        List<Long> started = new ArrayList<>();
        List<Long> typed = new ArrayList<>();
        List<Long> startedToTyped = new ArrayList<>();
        List<Long> ended = new ArrayList<>();
        for (FlowRun r : counted) {
            outcomes.merge(r.getOutcome(), 1, Integer::sum);
            long scheduled = micros(r.getScheduledAt());
            started.add(micros(r.getStartedAt()) - scheduled);
            Long at = r.getSessionId().isEmpty() ? null : b.seen().typedAt.get(r.getSessionId());
            if (at != null) {
                typed.add(at - scheduled);
                startedToTyped.add(at - micros(r.getStartedAt()));
            }
            if (r.getOutcome() == FlowRunOutcome.FLOW_RUN_OUTCOME_SUCCEEDED) {
                ended.add(micros(r.getEndedAt()) - scheduled);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "### Schedule accuracy (%d flows `@every %ds`, demo agent answering at once)%n",
                names.size(), every.toSeconds());
        System.out.println();
        percentileHeader("runs");
        row("scheduled → run started (`started_at`: scheduler tick, run recorded)", array(started));
        if (!typed.isEmpty()) {
            row("scheduled → prompt typed (`TASK_SENT` `Event.at`)", array(typed));
            row("run started → prompt typed (session, demo agent start-up, paste)", array(startedToTyped));
        }
        if (!ended.isEmpty()) {
            row("scheduled → run ended, succeeded (answer read, `ended_at`)", array(ended));
        }
        System.out.println();
        System.out.println("| runs | succeeded | skipped_overlap | failed | timed_out | skipped_by_script |");
        System.out.println("|---|---|---|---|---|---|");
        ToIntFunction<FlowRunOutcome> n = o -> outcomes.getOrDefault(o, 0);
        System.out.printf("| %d | %d | %d | %d | %d | %d |%n", counted.size(),
                n.applyAsInt(FlowRunOutcome.FLOW_RUN_OUTCOME_SUCCEEDED),
                n.applyAsInt(FlowRunOutcome.FLOW_RUN_OUTCOME_SKIPPED_OVERLAP),
                n.applyAsInt(FlowRunOutcome.FLOW_RUN_OUTCOME_FAILED),
                n.applyAsInt(FlowRunOutcome.FLOW_RUN_OUTCOME_TIMED_OUT),
                n.applyAsInt(FlowRunOutcome.FLOW_RUN_OUTCOME_SKIPPED_BY_SCRIPT));
        System.out.printf(Locale.ROOT, "%nScheduled times are whole seconds (the scheduler's), checked every second;"
                + " a flow's consecutive scheduled times were %s apart (the interval is %d s). Runs with no typed"
                + " prompt: %d. Runs that started before their flow was disabled, not counted: %d.%n",
                minGap == Long.MAX_VALUE ? "n/a" : String.format(Locale.ROOT, "%.1f to %.1f s", minGap / 1e6,
                        maxGap / 1e6), every.toSeconds(), counted.size() - typed.size(), extra);
        for (FlowRun r : counted) {
            if (r.getOutcome() != FlowRunOutcome.FLOW_RUN_OUTCOME_SUCCEEDED) {
                System.err.printf("accuracy: run %d of %s ended %s: %s%n", r.getId(), r.getFlowName(),
                        r.getOutcome(), r.getError());
            }
        }
    }

    // ---- 2. idle cost of many flows

    private void idle(int count, Duration window, Duration quiet) throws Exception {
        long pid = b.daemon().getPid();
        List<String> names = names("bench-idle-", count);
        System.err.printf("idle: %d s quiet, then %d s measured with no benchmark flow%n", quiet.toSeconds(),
                window.toSeconds());
        // a settling time and a measurement window, not waits for an outcome: idle CPU is measured over time
        Thread.sleep(quiet.toMillis());
        BenchSupport.CpuWindow none = BenchSupport.cpuOver(window, pid);
        long noneRss = rssKib(pid);
        try {
            long t0 = epochMicrosNow();
            for (String name : names) {
                write(name, flowFile(name, FAR_AWAY, "Never runs in a benchmark."));
            }
            long wrote = epochMicrosNow() - t0;
            long listed = awaitFlows(names, false) - t0;
            long lastEvent = b.seen().awaitFiles(paths(names), false, Duration.ZERO) - t0;
            System.err.printf(Locale.ROOT, "idle: %d flows listed and scheduled %.2f s after the first file was"
                    + " written; %d s quiet, then %d s measured%n", count, listed / 1e6, quiet.toSeconds(),
                    window.toSeconds());
            Thread.sleep(quiet.toMillis());
            BenchSupport.CpuWindow many = BenchSupport.cpuOver(window, pid);
            long manyRss = rssKib(pid);
            long[] listCall = new long[10];
            for (int i = 0; i < listCall.length; i++) {
                long n0 = System.nanoTime();
                flows().listFlows(ListFlowsRequest.getDefaultInstance());
                listCall[i] = (System.nanoTime() - n0) / 1000;
            }
            Arrays.sort(listCall);
            System.out.println();
            System.out.printf("### Idle cost of many flows (cron `%s`)%n", FAR_AWAY);
            System.out.println();
            System.out.println("| flows | window | daemon CPU (% of one core) | daemon RSS |");
            System.out.println("|---|---|---|---|");
            cpuRow("0 (before the files)", none, noneRss);
            cpuRow(Integer.toString(count), many, manyRss);
            System.out.printf(Locale.ROOT, "%nWriting the %d files took %.2f s; from the first write, the last"
                    + " `FLOW_FILE` event (enabled) came after %.2f s and ListFlows showed all %d scheduled after"
                    + " %.2f s (polled every 100 ms). A ListFlows call with them: %.1f ms (median of %d), at most"
                    + " %.1f ms. Measured from %d s after they were listed.%n", count, wrote / 1e6, lastEvent / 1e6,
                    count, listed / 1e6, BenchSupport.pct(listCall, 50) / 1000.0, listCall.length,
                    listCall[listCall.length - 1] / 1000.0, quiet.toSeconds());
            System.out.println("Daemon threads that used CPU in the window with the flows (ticks of 1/"
                    + (long) many.ticksPerSecond() + " s): " + many.busiest());
        } finally {
            long r0 = System.nanoTime();
            removeFlows(names);
            System.err.printf(Locale.ROOT, "idle: %d flow files deleted, unlisted after %.2f s%n", count,
                    (System.nanoTime() - r0) / 1e9);
        }
    }

    private static void cpuRow(String flows, BenchSupport.CpuWindow cpu, long rssKib) {
        System.out.printf(Locale.ROOT, "| %s | %.0f s | %.2f %% (%d ticks) | %d MiB |%n", flows, cpu.seconds(),
                cpu.percent(0), cpu.ticks()[0], rssKib / 1024);
    }

    // ---- flow files

    private static List<String> names(String prefix, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(String.format(Locale.ROOT, "%s%03d", prefix, i));
        }
        return out;
    }

    private Path file(String name) {
        return b.folder().resolve(name + ".md");
    }

    private List<String> paths(List<String> names) {
        return names.stream().map(n -> file(n).toString()).toList();
    }

    /** Writes a flow file whole (a hidden temporary file, moved into place), so the daemon never reads half of it. */
    private void write(String name, String content) throws IOException {
        Path temp = b.folder().resolve("." + name + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, file(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String flowFile(String name, String schedule, String prompt) {
        return "---\nname: " + name + "\nschedule: " + schedule
                + "\nagent_profile: " + PROFILE + "\nprovider: demo\nworking_directory: " + b.work()
                + "\ntimeout: " + RUN_TIMEOUT.toSeconds() + "s\n---\n" + prompt + "\n";
    }

    /**
     * Waits until the daemon has published every named flow's file enabled (or removed), then polls ListFlows every
     * 100 ms until it lists them all valid and scheduled (or none of them); an invalid one fails at once, with its
     * error. Returns when ListFlows showed it, in epoch micros.
     */
    private long awaitFlows(List<String> names, boolean removed) throws InterruptedException {
        int expected = removed ? 0 : names.size();
        Set<String> wanted = new HashSet<>(names);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        // the events first: ListFlows polled while the daemon reads the files would slow down what is measured
        b.seen().awaitFiles(paths(names), removed, Duration.ofMinutes(2));
        while (true) {
            int listed = 0;
            int scheduled = 0;
            for (Flow f : flows().listFlows(ListFlowsRequest.newBuilder().setIncludeInvalid(true).build())
                    .getFlowsList()) {
                if (!wanted.contains(f.getName())) {
                    continue;
                }
                if (f.getState() == FlowState.FLOW_STATE_INVALID) {
                    throw new IllegalStateException("flow file " + f.getFilePath() + " is invalid: " + f.getError());
                }
                listed++;
                scheduled += f.hasNextRunAt() ? 1 : 0;
            }
            if (listed == expected && (expected == 0 || scheduled == expected)) {
                return epochMicrosNow();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ListFlows shows " + listed + " of the benchmark's flows (" + scheduled
                        + " scheduled), not " + expected + ", 2 min after their files changed");
            }
            // a poll of the daemon's listing: what is measured is when it shows them
            Thread.sleep(100);
        }
    }

    /** Deletes the flow files, waits until none is listed, and deletes any session their runs left open. */
    private void removeFlows(List<String> names) throws IOException, InterruptedException {
        List<String> deleted = new ArrayList<>();
        for (String name : names) {
            if (Files.deleteIfExists(file(name))) {
                deleted.add(name);
            }
        }
        awaitFlows(deleted, true);
        Set<String> runSessions = b.seen().sessionsOf(names);
        // the runs close their sessions themselves, just after they end
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> openSessions(runSessions).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException stillOpen) {
            // deleted below
        }
        List<String> open = openSessions(runSessions);
        for (String session : open) {
            try {
                sessions().deleteSession(DeleteSessionRequest.newBuilder().setSessionId(session).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
        }
        if (!open.isEmpty()) {
            System.err.printf("%d session(s) of flow runs were still open 30 s after the runs; deleted: %s%n",
                    open.size(), open);
        }
    }

    private List<String> openSessions(Set<String> of) {
        return sessions().listSessions(ListSessionsRequest.getDefaultInstance()).getSessionsList().stream()
                .map(Session::getId).filter(of::contains).toList();
    }

    // ---- what the event stream says

    /** Flow runs as last published, when each session's prompt was typed, and the flow files' last states. */
    static final class Seen implements StreamObserver<Event> {

        /** A flow file's last change: enabled/disabled/invalid, or removed, and when (epoch micros). */
        record FileState(FlowState state, boolean removed, long atMicros) {
        }

        private final Map<Long, FlowRun> runs = new ConcurrentHashMap<>();
        /** Session id → the {@code TASK_SENT} event's time (epoch micros): the prompt was typed into its agent. */
        final Map<String, Long> typedAt = new ConcurrentHashMap<>();
        private final Map<String, FileState> files = new ConcurrentHashMap<>();
        private volatile Throwable failure;

        @Override
        public void onNext(Event e) {
            switch (e.getPayloadCase()) {
                case FLOW_RUN -> runs.put(e.getFlowRun().getRun().getId(), e.getFlowRun().getRun());
                case ORCHESTRATION -> {
                    if (e.getOrchestration().getAction() == OrchestrationAction.ORCHESTRATION_ACTION_TASK_SENT) {
                        typedAt.putIfAbsent(e.getSessionId(), micros(e.getAt()));
                    }
                }
                case FLOW_FILE -> files.put(e.getFlowFile().getFilePath(), new FileState(e.getFlowFile().getState(),
                        e.getFlowFile().getRemoved(), micros(e.getAt())));
                default -> {
                    // not asked for
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            failure = t;
        }

        @Override
        public void onCompleted() {
        }

        void check() {
            if (failure != null) {
                throw new IllegalStateException("the event stream failed: " + failure, failure);
            }
        }

        /** How many runs of the flow started (any outcome). */
        int runsOf(String flow) {
            return (int) runs.values().stream().filter(r -> r.getFlowName().equals(flow)).count();
        }

        /** How many runs of these flows are still going. */
        int running(List<String> flows) {
            Set<String> names = new HashSet<>(flows);
            return (int) runs.values().stream().filter(r -> names.contains(r.getFlowName())
                    && r.getOutcome() == FlowRunOutcome.FLOW_RUN_OUTCOME_RUNNING).count();
        }

        /** The sessions runs of these flows used. */
        Set<String> sessionsOf(List<String> flows) {
            Set<String> names = new HashSet<>(flows);
            Set<String> out = new LinkedHashSet<>();
            runs.values().stream().filter(r -> names.contains(r.getFlowName()) && !r.getSessionId().isEmpty())
                    .forEach(r -> out.add(r.getSessionId()));
            return out;
        }

        /**
         * Waits until the last {@code FLOW_FILE} event of each of these files shows it enabled (or, with
         * {@code removed}, removed), and returns the latest of those events' times (epoch micros).
         */
        long awaitFiles(List<String> paths, boolean removed, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                check();
                long last = 0;
                String missing = null;
                for (String p : paths) {
                    FileState s = files.get(p);
                    if (s != null && s.state() == FlowState.FLOW_STATE_INVALID && !s.removed()) {
                        throw new IllegalStateException("flow file " + p + " is invalid");
                    }
                    if (s == null || s.removed() != removed
                            || !removed && s.state() != FlowState.FLOW_STATE_ENABLED) {
                        missing = p + " (last: " + s + ")";
                        break;
                    }
                    last = Math.max(last, s.atMicros());
                }
                if (missing == null) {
                    return last;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no `FLOW_FILE` event shows " + missing + (removed ? " removed"
                            : " enabled") + " within " + timeout);
                }
                Thread.sleep(10); // a poll of what the event stream collected
            }
        }
    }

    // ---- helpers

    private static long[] array(List<Long> micros) {
        return micros.stream().mapToLong(Long::longValue).toArray();
    }

    private FlowServiceGrpc.FlowServiceBlockingStub flows() {
        return b.client().stub(FlowServiceGrpc.newBlockingStub(b.client().channel()));
    }

    private SessionServiceGrpc.SessionServiceBlockingStub sessions() {
        return b.client().stub(SessionServiceGrpc.newBlockingStub(b.client().channel()));
    }
}
