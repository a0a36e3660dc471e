package dev.caod.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.google.protobuf.Timestamp;

import dev.caod.api.v1.AwaitStatusRequest;
import dev.caod.api.v1.AwaitStatusResponse;
import dev.caod.api.v1.CreateTerminalRequest;
import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.EnvVar;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.api.v1.SessionServiceGrpc.SessionServiceBlockingStub;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.api.v1.WatchEventsRequest;
import dev.caod.cli.DaemonClient;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;

/**
 * What the benchmark clients ({@link TerminalBench}, {@link MessagingBench}, {@link FlowBench}) do alike: read their
 * options, install their demo agents in the daemon's config dir, start and await demo terminals, print percentiles the
 * same way, so that their tables can be read side by side, and measure a process's CPU over a window.
 */
final class BenchSupport {

    private BenchSupport() {
    }

    // ---- options

    /** {@code --name value} pairs; anything else, or a name not in {@code known}, fails with the usage. */
    static Map<String, String> options(String[] args, Set<String> known, String usage) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            boolean option = args[i].startsWith("--");
            if (!option || i + 1 >= args.length || !known.contains(args[i].substring(2))) {
                throw new IllegalArgumentException(
                        (option && !known.contains(args[i].substring(2)) ? "unknown option " + args[i] + "; " : "")
                                + usage);
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    static int intOption(Map<String, String> opt, String name, int fallback, int min) {
        String v = opt.get(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": a whole number, not `" + v + "`");
        }
        if (n < min) {
            throw new IllegalArgumentException("--" + name + ": at least " + min);
        }
        return n;
    }

    static String required(Map<String, String> opt, String name, String usage) {
        String v = opt.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required; " + usage);
        }
        return v;
    }

    /** {@code --only}: one of the benchmarks, or "" for all of them. */
    static String only(Map<String, String> opt, List<String> benchmarks) {
        String only = opt.getOrDefault("only", "");
        if (!only.isEmpty() && !benchmarks.contains(only)) {
            throw new IllegalArgumentException("--only: " + String.join(", ", benchmarks.subList(0,
                    benchmarks.size() - 1)) + " or " + benchmarks.getLast() + ", not `" + only + "`");
        }
        return only;
    }

    // ---- the daemon and its demo agents

    /** A demo script whose agent replies at once ({@code reply} with no {@code think}). */
    static final String INSTANT_SCRIPT = """
            # written by a dev.caod.bench benchmark
            name: bench-instant
            default:
              - reply: "ACK"
            """;

    static GetStatusResponse daemonStatus(DaemonClient client) {
        return client.stub(DaemonServiceGrpc.newBlockingStub(client.channel()))
                .getStatus(GetStatusRequest.getDefaultInstance());
    }

    /**
     * Writes a demo script ({@code <config>/demo/<profile>.yaml}) and a profile that runs it for each entry of
     * {@code scripts}: the daemon reads both from its config dir, so the benchmark needs nothing installed.
     */
    static void installDemoAgents(GetStatusResponse daemon, Map<String, String> scripts, String description)
            throws IOException {
        Path demo = Files.createDirectories(Path.of(daemon.getConfigDir()).resolve("demo"));
        Path profiles = Files.createDirectories(Path.of(daemon.getConfigDir()).resolve("profiles"));
        for (Map.Entry<String, String> e : scripts.entrySet()) {
            Files.writeString(demo.resolve(e.getKey() + ".yaml"), e.getValue());
            Files.writeString(profiles.resolve(e.getKey() + ".md"), "---\nname: " + e.getKey() + "\ndescription: "
                    + description + "\n---\nA scripted demo agent for benchmarks.\n");
        }
    }

    /**
     * Watches the daemon's events of the given kinds until the returned context is cancelled. From
     * {@code after_event_id = 0}: the (short) log is replayed, then live events follow with no gap, so no event of
     * the benchmark's can be missed however long the stream takes to be set up on the daemon's side.
     */
    static Context.CancellableContext watchEvents(DaemonClient client, StreamObserver<Event> observer,
            EventKind... kinds) {
        Context.CancellableContext watch = Context.current().withCancellation();
        watch.run(() -> DaemonServiceGrpc.newStub(client.channel()).watchEvents(WatchEventsRequest.newBuilder()
                .addAllKinds(List.of(kinds)).setAfterEventId(0).build(), observer));
        return watch;
    }

    static void awaitStatus(SessionServiceBlockingStub sessions, String terminal, Duration timeout,
            TerminalStatus... anyOf) {
        AwaitStatusResponse r = sessions.awaitStatus(AwaitStatusRequest.newBuilder().setTerminalId(terminal)
                .addAllAnyOf(List.of(anyOf)).setTimeout(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(timeout.toSeconds()))
                .build());
        if (!r.getReached()) {
            throw new IllegalStateException("terminal " + terminal + " did not reach " + Set.of(anyOf) + " within "
                    + timeout + "; it is " + r.getTerminal().getStatus());
        }
    }

    /**
     * Adds terminals to a session whose supervisor is already idle ({@code more} builds each one's request, numbered
     * from 1), then waits until every terminal, the supervisor's included, is idle. The terminals are all created
     * before the first wait, so that their start-ups overlap.
     */
    static void addIdleTerminals(SessionServiceBlockingStub sessions, List<String> ids, int count,
            java.util.function.IntFunction<CreateTerminalRequest> more) {
        for (int i = ids.size(); i < count; i++) {
            ids.add(sessions.createTerminal(more.apply(i)).getTerminal().getId());
        }
        for (String id : ids) {
            awaitStatus(sessions, id, Duration.ofMinutes(4), TerminalStatus.TERMINAL_STATUS_IDLE);
        }
    }

    static EnvVar env(String name, Path value) {
        return EnvVar.newBuilder().setName(name).setValue(value.toString()).build();
    }

    // ---- percentiles

    /** The header of a table of {@link #row}s; {@code counted} names what they count (turns, messages ...). */
    static void percentileHeader(String counted) {
        percentileHeader("measure", counted);
    }

    static void percentileHeader(String first, String counted) {
        System.out.println("| " + first + " | " + counted + " | p50 | p90 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|");
    }

    /** One row of a percentile table: the count, p50, p90, p99 and max of {@code micros}, in milliseconds. */
    static void row(String label, long[] micros) {
        long[] s = micros.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", label, s.length, ms(pct(s, 50)),
                ms(pct(s, 90)), ms(pct(s, 99)), ms(s[s.length - 1]));
    }

    /** Nearest-rank percentile. */
    static long pct(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    // ---- time, processes and files

    /** Epoch micros: the unit of the demo agents' trace lines, so the two can be subtracted. */
    static long micros(Timestamp t) {
        return t.getSeconds() * 1_000_000L + t.getNanos() / 1_000;
    }

    static long epochMicrosNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** A process's resident set in KiB, from {@code /proc/<pid>/status}; 0 once it is gone. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    /** Removes a benchmark's work dir: it only ever holds files (traces), no subdirectories. */
    static void deleteWorkDir(Path work) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(work);
    }

    // ---- CPU over a window

    /**
     * What processes used over a window: each one's utime + stime in clock ticks ({@code ticksPerSecond} a second),
     * the window's length, and the threads of the first one that used any.
     */
    record CpuWindow(long[] ticks, double seconds, double ticksPerSecond, String busiest) {

        /** Process {@code i}'s CPU over the window, in percent of one core. */
        double percent(int i) {
            return 100.0 * ticks[i] / ticksPerSecond / seconds;
        }
    }

    /**
     * Sleeps through {@code window} (a measurement window, not a wait for an outcome: idle CPU is by definition
     * measured over time) and returns the CPU the processes used in it, from {@code /proc/<pid>/stat}; a pid of 0 or
     * less counts nothing. The first process's threads are read too: what an idle daemon spends its time on.
     */
    static CpuWindow cpuOver(Duration window, long... pids) throws IOException, InterruptedException {
        double ticksPerSecond = clockTicks();
        Map<String, Long> threadsBefore = threadTicks(pids[0]);
        long[] ticks = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            ticks[i] = pids[i] > 0 ? -cpuTicks(pids[i]) : 0;
        }
        long start = System.nanoTime();
        Thread.sleep(window.toMillis());
        for (int i = 0; i < pids.length; i++) {
            ticks[i] += pids[i] > 0 ? cpuTicks(pids[i]) : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new CpuWindow(ticks, seconds, ticksPerSecond, busiest(threadsBefore, threadTicks(pids[0])));
    }

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        return statTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** utime + stime (fields 14 and 15) of a /proc stat line; the name in parentheses may hold spaces. */
    static long statTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 3.. after the name: utime is field 14
    }

    private static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    out.put(task.getFileName() + " " + name, statTicks(stat));
                } catch (IOException e) {
                    // the thread ended
                }
            }
        }
        return out;
    }

    private static String busiest(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> byName = new LinkedHashMap<>();
        after.forEach((key, ticks) -> {
            long used = ticks - before.getOrDefault(key, 0L);
            if (used > 0) {
                // threads of one pool share a name prefix: ForkJoinPool-1-worker-3 -> ForkJoinPool-1-worker-*
                String name = key.substring(key.indexOf(' ') + 1).replaceAll("\\d+$", "*");
                byName.merge(name, used, Long::sum);
            }
        });
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byName.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(8, sorted.size()))) {
            parts.add("`" + e.getKey() + "` " + e.getValue());
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static double clockTicks() {
        String out = output("getconf", "CLK_TCK");
        return out.isBlank() ? 100 : Double.parseDouble(out.strip());
    }

    /** What a command prints (stdout and stderr), or "" when it fails or cannot be started. */
    static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
