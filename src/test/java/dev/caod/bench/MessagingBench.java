package dev.caod.bench;

import static dev.caod.bench.BenchSupport.env;
import static dev.caod.bench.BenchSupport.epochMicrosNow;
import static dev.caod.bench.BenchSupport.micros;
import static dev.caod.bench.BenchSupport.percentileHeader;
import static dev.caod.bench.BenchSupport.row;
import static dev.caod.bench.BenchSupport.rssKib;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.CreateSessionResponse;
import dev.caod.api.v1.CreateTerminalRequest;
import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.Event;
import dev.caod.api.v1.EventKind;
import dev.caod.api.v1.GetMessageRequest;
import dev.caod.api.v1.GetStatusResponse;
import dev.caod.api.v1.HandoffOutcome;
import dev.caod.api.v1.HandoffRequest;
import dev.caod.api.v1.HandoffResponse;
import dev.caod.api.v1.InboxMessage;
import dev.caod.api.v1.MessageState;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.SendMessageRequest;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.api.v1.TerminalStatus;
import dev.caod.cli.DaemonClient;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;

/**
 * The messaging benchmarks behind {@code bench/messaging.sh}, run against a live daemon over its socket. Every demo
 * agent is started with {@code CAOD_DEMO_TRACE=<file>}, so it appends {@code ready|paste|input|prompt <epoch-micros>}
 * lines (see {@code dev.caod.demo.PromptTrace}) that the client compares with its own clock (same machine):
 * <ol>
 * <li><b>latency</b>: messages to one idle demo agent that replies at once; per message, from the client calling
 * {@code SendMessage} to the agent receiving the paste that carries the message's tag (and to its submission);</li>
 * <li><b>handoff</b>: sequential {@code Handoff} calls to a fresh demo worker that answers at once; the call's total
 * time against the worker's own time (process start to first prompt, plus submitted input to answer drawn);</li>
 * <li><b>mesh</b>: N demo agents in one session sending each other M messages as fast as a few client threads can;
 * then every message is followed to DELIVERED or FAILED and every tag counted in the agents' traces: lost,
 * duplicated, misrouted, throughput, and the daemon's RSS.</li>
 * </ol>
 * Prints Markdown tables on stdout, progress on stderr. Usage:
 * {@code MessagingBench --socket <caod.sock> [--messages 200] [--warmup 10] [--handoffs 30] [--handoff-warmup 3]
 * [--agents 50] [--mesh-messages 1000] [--senders 4] [--mesh-timeout-seconds 600] [--only latency|handoff|mesh]}
 */
public final class MessagingBench {

    /** Replies at once ({@code reply} with no {@code think}); the latency agent, the supervisor and the mesh agents. */
    static final String INSTANT_PROFILE = "bench_msg_instant";
    /** The handoff worker: answers at once, naming the task's tag so the answer can be checked. */
    static final String WORKER_PROFILE = "bench_msg_worker";
    static final String WORKER_SCRIPT = """
            # written by dev.caod.bench.MessagingBench
            name: bench-worker
            rules:
              - when: "\\\\[(?<tag>h-\\\\d+)\\\\]"
                steps:
                  - reply: "DONE ${tag}"
            default:
              - reply: "ACK"
            """;
    static final Set<String> OPTIONS = Set.of("socket", "messages", "warmup", "handoffs", "handoff-warmup", "agents",
            "mesh-messages", "senders", "mesh-timeout-seconds", "only");
    static final String USAGE = "usage: MessagingBench --socket <path> [--messages 200] [--warmup 10] [--handoffs 30]"
            + " [--handoff-warmup 3] [--agents 50] [--mesh-messages 1000] [--senders 4]"
            + " [--mesh-timeout-seconds 600] [--only latency|handoff|mesh]";

    private final DaemonClient client;
    private final GetStatusResponse daemon;
    private final Path work;
    private final Messages messages;

    private MessagingBench(DaemonClient client, GetStatusResponse daemon, Path work, Messages messages) {
        this.client = client;
        this.daemon = daemon;
        this.work = work;
        this.messages = messages;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = BenchSupport.options(args, OPTIONS, USAGE);
        Path socket = Path.of(BenchSupport.required(opt, "socket", USAGE));
        int count = BenchSupport.intOption(opt, "messages", 200, 1);
        int warmup = BenchSupport.intOption(opt, "warmup", 10, 0);
        int handoffs = BenchSupport.intOption(opt, "handoffs", 30, 1);
        int handoffWarmup = BenchSupport.intOption(opt, "handoff-warmup", 3, 0);
        int agents = BenchSupport.intOption(opt, "agents", 50, 2);
        int meshMessages = BenchSupport.intOption(opt, "mesh-messages", 1000, 1);
        int senders = BenchSupport.intOption(opt, "senders", 4, 1);
        int meshTimeout = BenchSupport.intOption(opt, "mesh-timeout-seconds", 600, 1);
        String only = BenchSupport.only(opt, List.of("latency", "handoff", "mesh"));

        try (DaemonClient client = DaemonClient.forSocket(socket, Duration.ofMinutes(5))) {
            GetStatusResponse status = BenchSupport.daemonStatus(client);
            BenchSupport.installDemoAgents(status, Map.of(INSTANT_PROFILE, BenchSupport.INSTANT_SCRIPT, WORKER_PROFILE,
                    WORKER_SCRIPT), "messaging benchmark agent");
            Path work = Files.createTempDirectory("caod-msg-bench-");
            Messages messages = new Messages();
            Context.CancellableContext watch = BenchSupport.watchEvents(client, messages,
                    EventKind.EVENT_KIND_MESSAGE, EventKind.EVENT_KIND_STATUS_CHANGED,
                    EventKind.EVENT_KIND_LIFECYCLE_CHANGED);
            MessagingBench bench = new MessagingBench(client, status, work, messages);
            try {
                if (only.isEmpty() || only.equals("latency")) {
                    bench.latency(count, warmup);
                }
                if (only.isEmpty() || only.equals("handoff")) {
                    bench.handoff(handoffs, handoffWarmup);
                }
                if (only.isEmpty() || only.equals("mesh")) {
                    bench.mesh(agents, meshMessages, senders, Duration.ofSeconds(meshTimeout));
                }
            } finally {
                watch.cancel(null);
                BenchSupport.deleteWorkDir(work);
            }
        }
    }

    // ---- 1. delivery latency to an idle agent

    private void latency(int count, int warmup) throws Exception {
        Path file = work.resolve("latency-trace.txt");
        Files.writeString(file, "");
        Trace trace = new Trace(file);
        CreateSessionResponse created = sessions().createSession(CreateSessionRequest.newBuilder()
                .setProfile(INSTANT_PROFILE).setProvider("demo").setWorkingDirectory(work.toString())
                .addEnv(env("CAOD_DEMO_TRACE", file)).build());
        String session = created.getSession().getId();
        String terminal = created.getSupervisor().getId();
        try {
            awaitStatus(terminal, Duration.ofMinutes(2), TerminalStatus.TERMINAL_STATUS_IDLE);
            System.err.printf("latency: terminal %s idle; %d warm-up messages, then %d measured%n", terminal, warmup,
                    count);
            long[] paste = new long[count];
            long[] input = new long[count];
            long[] delivered = new long[count];
            long[] answered = new long[count];
            long[] sendCall = new long[count];
            for (int i = -warmup; i < count; i++) {
                // idle or completed: the previous message was typed, submitted and answered (awaited below)
                awaitStatus(terminal, Duration.ofSeconds(30), TerminalStatus.TERMINAL_STATUS_IDLE,
                        TerminalStatus.TERMINAL_STATUS_COMPLETED);
                String tag = "[m-" + (i + warmup) + "]";
                long t0 = epochMicrosNow();
                long n0 = System.nanoTime();
                InboxMessage sent = messaging().sendMessage(SendMessageRequest.newBuilder()
                        .setReceiverTerminalId(terminal).setBody(tag + " latency probe " + i).build()).getMessage();
                long n1 = System.nanoTime();
                Turn turn = trace.awaitTurn(tag, Duration.ofSeconds(30));
                Final end = messages.await(sent.getId(), Duration.ofSeconds(30));
                if (end == null || end.state() != MessageState.MESSAGE_STATE_DELIVERED) {
                    throw new IllegalStateException("message " + i + " (" + sent.getId() + ") typed into the agent"
                            + " but not DELIVERED within 30 s: " + (end == null ? "no final state" : end));
                }
                if (i >= 0) {
                    sendCall[i] = (n1 - n0) / 1000;
                    paste[i] = turn.paste() - t0;
                    input[i] = turn.input() - t0;
                    delivered[i] = end.atMicros() - t0;
                    answered[i] = turn.prompt() - t0;
                }
                if (i >= 0 && (i + 1) % 50 == 0) {
                    System.err.printf("latency: %d/%d messages%n", i + 1, count);
                }
            }
            Map<String, Integer> pasted = trace.pastedTags(Pattern.compile("\\[m-\\d+]"));
            long twice = pasted.values().stream().filter(n -> n > 1).count();
            System.out.println();
            System.out.println("### Delivery latency to an idle agent");
            System.out.println();
            percentileHeader("messages");
            row("SendMessage sent → paste received by the agent", paste);
            row("SendMessage sent → input submitted (Enter)", input);
            row("SendMessage sent → `DELIVERED` event (`Event.at`)", delivered);
            row("SendMessage call (stored, returns before delivery)", sendCall);
            row("SendMessage sent → agent's answer drawn (instant reply)", answered);
            System.out.printf(Locale.ROOT, "%nMessages typed more than once: %d of %d (target 0). Target p99 sent →"
                    + " paste < 100 ms.%n", twice, count + warmup);
        } finally {
            sessions().deleteSession(DeleteSessionRequest.newBuilder().setSessionId(session).build());
        }
    }

    // ---- 2. handoff overhead

    private void handoff(int count, int warmup) throws Exception {
        CreateSessionResponse created = sessions().createSession(CreateSessionRequest.newBuilder()
                .setProfile(INSTANT_PROFILE).setProvider("demo").setWorkingDirectory(work.toString()).build());
        String session = created.getSession().getId();
        try {
            awaitStatus(created.getSupervisor().getId(), Duration.ofMinutes(2), TerminalStatus.TERMINAL_STATUS_IDLE);
            long bootFix = bootTimeCorrectionMicros();
            System.err.printf("handoff: session %s ready; %d warm-up handoffs, then %d measured%n", session, warmup,
                    count);
            long[] total = new long[count];
            long[] own = new long[count];
            long[] overhead = new long[count];
            long[] daemonElapsed = new long[count];
            long[] toSpawn = new long[count];
            long[] startup = new long[count];
            long[] readyToPaste = new long[count];
            long[] pasteToInput = new long[count];
            long[] answering = new long[count];
            long[] promptToResponse = new long[count];
            long[] detection = new long[count];
            long[] closing = new long[count];
            long[] exitedToResponse = new long[count];
            for (int i = -warmup; i < count; i++) {
                int n = i + warmup;
                String tag = "[h-" + n + "]";
                Path file = work.resolve("handoff-" + n + ".txt");
                long t0 = epochMicrosNow();
                long n0 = System.nanoTime();
                HandoffResponse r = messaging().handoff(HandoffRequest.newBuilder().setSessionId(session)
                        .setAgentProfile(WORKER_PROFILE).setProvider("demo").setMessage(tag + " handoff task " + i)
                        .setTimeoutSeconds(120).addEnv(env("CAOD_DEMO_TRACE", file)).build());
                long n1 = System.nanoTime();
                if (r.getOutcome() != HandoffOutcome.HANDOFF_OUTCOME_COMPLETED) {
                    throw new IllegalStateException("handoff " + i + " to worker " + r.getWorkerTerminalId()
                            + " ended " + r.getOutcome() + ": " + r.getDetail() + "; answer: " + r.getAnswer());
                }
                String expected = "DONE h-" + n;
                if (!r.getAnswer().contains(expected)) {
                    throw new IllegalStateException("handoff " + i + " to worker " + r.getWorkerTerminalId()
                            + " completed, but its answer lacks `" + expected + "`: " + r.getAnswer());
                }
                WorkerTrace w = WorkerTrace.read(file, tag, Duration.ofSeconds(5), bootFix);
                String worker = r.getWorkerTerminalId();
                Event completed = messages.awaitFirst(worker, e -> e.hasStatusChanged() && e.getStatusChanged()
                        .getCurrent() == TerminalStatus.TERMINAL_STATUS_COMPLETED, Duration.ofSeconds(5));
                Event exited = messages.awaitFirst(worker, e -> e.hasLifecycleChanged() && e.getLifecycleChanged()
                        .getCurrent() == dev.caod.api.v1.TerminalLifecycle.TERMINAL_LIFECYCLE_EXITED,
                        Duration.ofSeconds(5));
                if (completed == null || exited == null) {
                    throw new IllegalStateException("handoff " + i + ": no " + (completed == null ? "`completed`"
                            : "`exited`") + " event for worker " + worker + "; its events: " + messages.of(worker));
                }
                if (i >= 0) {
                    total[i] = (n1 - n0) / 1000;
                    own[i] = (w.ready() - w.processStart()) + (w.prompt() - w.input());
                    overhead[i] = total[i] - own[i];
                    daemonElapsed[i] = r.getElapsed().getSeconds() * 1_000_000L + r.getElapsed().getNanos() / 1000;
                    toSpawn[i] = w.processStart() - t0;
                    startup[i] = w.ready() - w.processStart();
                    readyToPaste[i] = w.paste() - w.ready();
                    pasteToInput[i] = w.input() - w.paste();
                    answering[i] = w.prompt() - w.input();
                    promptToResponse[i] = t0 + total[i] - w.prompt();
                    detection[i] = micros(completed.getAt()) - w.prompt();
                    closing[i] = micros(exited.getAt()) - micros(completed.getAt());
                    exitedToResponse[i] = t0 + total[i] - micros(exited.getAt());
                }
                Files.deleteIfExists(file);
                if (i >= 0 && (i + 1) % 10 == 0) {
                    System.err.printf("handoff: %d/%d%n", i + 1, count);
                }
            }
            System.out.println();
            System.out.println("### Handoff overhead (worker answers at once)");
            System.out.println();
            percentileHeader("handoffs");
            row("**total**: Handoff call → response (client)", total);
            row("worker's own time: process start → first prompt, + input → answer drawn", own);
            row("**overhead**: total − worker's own time", overhead);
            row("`HandoffResponse.elapsed` (daemon's measure)", daemonElapsed);
            System.out.println();
            System.out.println("Where the time goes (from the worker's trace; process start times have the kernel's"
                    + " 10 ms tick):");
            System.out.println();
            percentileHeader("step", "handoffs");
            row("call → worker process started (daemon: profile, tmux window)", toSpawn);
            row("worker process start → first prompt drawn (JVM start-up)", startup);
            row("first prompt → task pasted (daemon: readiness seen, paste)", readyToPaste);
            row("task pasted → submitted (Enter)", pasteToInput);
            row("submitted → answer drawn (worker)", answering);
            row("answer drawn → response received, of which:", promptToResponse);
            row("↳ answer drawn → worker's `completed` event (detection)", detection);
            row("↳ `completed` → worker's `exited` event (answer read, worker closed)", closing);
            row("↳ `exited` → response received", exitedToResponse);
            System.out.printf(Locale.ROOT, "%nTarget overhead p50 < 500 ms. Process start times come from"
                    + " ProcessHandle (boot time in whole seconds from /proc/stat); corrected here by %+.1f ms, the"
                    + " fraction of a second that drops (from /proc/uptime).%n", bootFix / 1000.0);
        } finally {
            sessions().deleteSession(DeleteSessionRequest.newBuilder().setSessionId(session).build());
        }
    }

    // ---- 3. mesh

    private void mesh(int agents, int count, int senders, Duration timeout) throws Exception {
        System.err.printf("mesh: starting %d demo agents%n", agents);
        long started = System.nanoTime();
        List<Path> traces = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            Path file = work.resolve("mesh-" + i + ".txt");
            Files.writeString(file, "");
            traces.add(file);
        }
        CreateSessionResponse created = sessions().createSession(CreateSessionRequest.newBuilder()
                .setProfile(INSTANT_PROFILE).setProvider("demo").setWorkingDirectory(work.toString())
                .addEnv(env("CAOD_DEMO_TRACE", traces.getFirst())).build());
        String session = created.getSession().getId();
        List<String> ids = new ArrayList<>(List.of(created.getSupervisor().getId()));
        try {
            awaitStatus(ids.getFirst(), Duration.ofMinutes(2), TerminalStatus.TERMINAL_STATUS_IDLE);
            BenchSupport.addIdleTerminals(sessions(), ids, agents, i -> CreateTerminalRequest.newBuilder()
                    .setSessionId(session).setProfile(INSTANT_PROFILE).setProvider("demo")
                    .addEnv(env("CAOD_DEMO_TRACE", traces.get(i))).build());
            System.err.printf(Locale.ROOT, "mesh: all %d idle after %.1f s; sending %d messages from %d threads%n",
                    agents, (System.nanoTime() - started) / 1e9, count, senders);

            int[] from = new int[count];
            int[] to = new int[count];
            for (int m = 0; m < count; m++) {
                from[m] = m % agents;
                int k = m / agents + 1;
                int r = (from[m] * 7 + k) % agents;
                to[m] = r == from[m] ? (r + 1) % agents : r;
            }
            long[] messageId = new long[count];
            long[] sentAt = new long[count]; // epoch micros, just before the call
            long[] sendCall = new long[count];
            AtomicInteger next = new AtomicInteger();
            long firstSend = epochMicrosNow();
            long s0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < senders; t++) {
                    workers.add(pool.submit(() -> {
                        for (int m = next.getAndIncrement(); m < count; m = next.getAndIncrement()) {
                            sentAt[m] = epochMicrosNow();
                            long n0 = System.nanoTime();
                            messageId[m] = messaging().sendMessage(SendMessageRequest.newBuilder()
                                    .setSenderTerminalId(ids.get(from[m])).setReceiverTerminalId(ids.get(to[m]))
                                    .setBody("[x-" + m + "] mesh message " + m + " from agent " + from[m] + " to agent "
                                            + to[m]).build()).getMessage().getId();
                            sendCall[m] = (System.nanoTime() - n0) / 1000;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            double sendSeconds = (System.nanoTime() - s0) / 1e9;
            System.err.printf(Locale.ROOT, "mesh: %d messages stored in %.1f s; waiting up to %d s for each to be"
                    + " delivered or to fail%n", count, sendSeconds, timeout.toSeconds());

            long deadline = s0 + timeout.toNanos();
            Set<Long> all = ConcurrentHashMap.newKeySet();
            for (long id : messageId) {
                all.add(id);
            }
            long lastReport = System.nanoTime();
            while (messages.finalCount(all) < count && System.nanoTime() < deadline) {
                messages.awaitChange(Duration.ofSeconds(1));
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.err.printf(Locale.ROOT, "mesh: %d of %d delivered or failed after %.0f s%n",
                            messages.finalCount(all), count, (lastReport - s0) / 1e9);
                }
            }
            long wallEnd = System.nanoTime();
            // what the event stream did not report (it should report everything): ask for each message's state
            Map<Long, MessageState> states = new HashMap<>();
            for (long id : messageId) {
                Final f = messages.get(id);
                states.put(id, f != null ? f.state() : messaging().getMessage(GetMessageRequest.newBuilder()
                        .setMessageId(id).build()).getMessage().getState());
            }
            // the last turns finish before the traces are read
            for (String id : ids) {
                awaitStatus(id, Duration.ofSeconds(60), TerminalStatus.TERMINAL_STATUS_IDLE,
                        TerminalStatus.TERMINAL_STATUS_COMPLETED);
            }
            long rss = rssKib(daemon.getPid());

            Pattern tagPattern = Pattern.compile("\\[x-(\\d+)]");
            int[] typed = new int[count];
            int misrouted = 0;
            for (int a = 0; a < agents; a++) {
                for (Map.Entry<String, Integer> e : new Trace(traces.get(a)).pastedTags(tagPattern).entrySet()) {
                    Matcher mm = tagPattern.matcher(e.getKey());
                    if (!mm.matches()) {
                        continue;
                    }
                    int m = Integer.parseInt(mm.group(1));
                    if (m >= count) {
                        continue;
                    }
                    typed[m] += e.getValue();
                    if (to[m] != a) {
                        misrouted += e.getValue();
                    }
                }
            }
            int delivered = 0;
            int failed = 0;
            int unfinished = 0;
            int lost = 0;
            int duplicated = 0;
            int deliveredNotTyped = 0;
            long lastDelivery = firstSend;
            List<Long> deliveryLatency = new ArrayList<>();
            for (int m = 0; m < count; m++) {
                MessageState st = states.get(messageId[m]);
                if (st == MessageState.MESSAGE_STATE_DELIVERED) {
                    delivered++;
                    Final f = messages.get(messageId[m]);
                    if (f != null) {
                        lastDelivery = Math.max(lastDelivery, f.atMicros());
                        deliveryLatency.add(f.atMicros() - sentAt[m]);
                    }
                    if (typed[m] == 0) {
                        deliveredNotTyped++;
                    }
                } else if (st == MessageState.MESSAGE_STATE_FAILED) {
                    failed++;
                } else {
                    unfinished++;
                }
                if (typed[m] == 0) {
                    lost++;
                } else if (typed[m] > 1) {
                    duplicated++;
                }
            }
            double deliverySeconds = (lastDelivery - firstSend) / 1e6;
            int readyEvents = 0;
            for (String id : ids) {
                for (Event e : messages.of(id)) {
                    long at = micros(e.getAt());
                    TerminalStatus st = e.hasStatusChanged() ? e.getStatusChanged().getCurrent() : null;
                    if (at >= firstSend && at <= lastDelivery && (st == TerminalStatus.TERMINAL_STATUS_IDLE
                            || st == TerminalStatus.TERMINAL_STATUS_COMPLETED)) {
                        readyEvents++;
                    }
                }
            }
            System.out.println();
            System.out.println("### Mesh: agents messaging each other");
            System.out.println();
            System.out.println("| agents | messages sent | delivered | failed | lost | duplicated | throughput"
                    + " | wall time | daemon RSS at the end |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | **%d** | **%d** | %.1f msg/s | %.1f s | %d MiB |%n",
                    agents, count, delivered, failed, lost, duplicated,
                    deliverySeconds > 0 ? delivered / deliverySeconds : 0.0, (wallEnd - s0) / 1e9, rss / 1024);
            System.out.println();
            percentileHeader("messages");
            row("SendMessage call", sendCall);
            if (!deliveryLatency.isEmpty()) {
                row("SendMessage sent → `DELIVERED` (`Event.at`), queueing included",
                        deliveryLatency.stream().mapToLong(Long::longValue).toArray());
            }
            System.out.printf(Locale.ROOT, "%nAll %d SendMessage calls returned after %.2f s (%.0f calls/s from %d"
                    + " client threads); throughput is delivered messages per second from the first send to the last"
                    + " `DELIVERED` event (%.1f s); wall time runs until every message was delivered or failed"
                    + (unfinished > 0 ? " or the deadline passed" : "") + ".%n", count, sendSeconds,
                    count / sendSeconds, senders, deliverySeconds);
            System.out.printf("Lost = never typed into any agent (failed or never finished included); duplicated ="
                    + " typed more than once. Still pending or delivering at the deadline: %d; marked DELIVERED but"
                    + " never typed: %d; typed into the wrong agent: %d. Target: 0 lost, 0 duplicated.%n",
                    unfinished, deliveredNotTyped, misrouted);
            System.out.printf("The agents' status changed to idle or completed %d times between the first send and the"
                    + " last delivery, for %d deliveries (the inbox types a receiver's next message on such a change,"
                    + " or on its reconcile tick, every 1 s by default).%n", readyEvents, delivered);
        } finally {
            sessions().deleteSession(DeleteSessionRequest.newBuilder().setSessionId(session).build());
        }
    }

    // ---- message states, from the event stream

    /** A message's final state as the daemon published it, with the event's time (epoch micros). */
    record Final(MessageState state, long atMicros, String reason) {
    }

    /**
     * Collects every message's first DELIVERED or FAILED event, and each terminal's status and lifecycle events (to
     * split a handoff's time, and to see what triggers deliveries in the mesh).
     */
    static final class Messages implements StreamObserver<Event> {

        private final Map<Long, Final> finals = new ConcurrentHashMap<>();
        private final Map<String, List<Event>> terminalEvents = new ConcurrentHashMap<>();
        private volatile Throwable failure;

        @Override
        public synchronized void onNext(Event e) {
            if (e.hasStatusChanged() || e.hasLifecycleChanged()) {
                terminalEvents.computeIfAbsent(e.getTerminalId(), t -> new ArrayList<>()).add(e);
                notifyAll();
                return;
            }
            if (!e.hasMessage()) {
                return;
            }
            MessageState state = e.getMessage().getState();
            if (state == MessageState.MESSAGE_STATE_DELIVERED || state == MessageState.MESSAGE_STATE_FAILED) {
                finals.putIfAbsent(e.getMessage().getMessageId(), new Final(state, micros(e.getAt()),
                        e.getMessage().getFailureReason()));
                notifyAll();
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            failure = t;
            notifyAll();
        }

        @Override
        public void onCompleted() {
        }

        Final get(long id) {
            return finals.get(id);
        }

        /** A terminal's status and lifecycle events so far, oldest first. */
        synchronized List<Event> of(String terminal) {
            return List.copyOf(terminalEvents.getOrDefault(terminal, List.of()));
        }

        /** The first of a terminal's events that {@code match} accepts, waiting for it up to the timeout; or null. */
        synchronized Event awaitFirst(String terminal, java.util.function.Predicate<Event> match, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (Event e : terminalEvents.getOrDefault(terminal, List.of())) {
                    if (match.test(e)) {
                        return e;
                    }
                }
                check();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        /** The message's final state, or null when it has none within the timeout. */
        synchronized Final await(long id, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!finals.containsKey(id)) {
                check();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return finals.get(id);
        }

        synchronized void awaitChange(Duration max) throws InterruptedException {
            check();
            wait(max.toMillis());
        }

        int finalCount(Set<Long> ids) {
            int n = 0;
            for (long id : ids) {
                if (finals.containsKey(id)) {
                    n++;
                }
            }
            return n;
        }

        private void check() {
            if (failure != null) {
                throw new IllegalStateException("the event stream failed: " + failure, failure);
            }
        }
    }

    // ---- demo agent traces

    /** One trace line: {@code <kind> <epoch-micros> [detail]}. */
    record Line(String kind, long micros, String detail) {
        static Line parse(String text) {
            String[] p = text.split(" ", 3);
            return new Line(p[0], Long.parseLong(p[1].strip()), p.length > 2 ? p[2] : "");
        }
    }

    /** When a tagged input arrived, was submitted, and the answer below it was drawn (epoch micros). */
    record Turn(long paste, long input, long prompt) {
    }

    /** A demo agent's trace file, read as it grows. */
    static final class Trace {

        private final Path file;
        private final List<Line> lines = new ArrayList<>();
        private long position;
        private final StringBuilder partial = new StringBuilder();
        private int cursor; // lines before this belong to turns already matched

        Trace(Path file) {
            this.file = file;
        }

        /** Reads what was appended since the last call; only whole lines are taken. */
        List<Line> poll() throws IOException {
            if (!Files.exists(file)) {
                return lines;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > position) {
                    ByteBuffer buf = ByteBuffer.allocate((int) (size - position));
                    while (buf.hasRemaining() && ch.read(buf, position + buf.position()) > 0) {
                        // read to the end
                    }
                    position += buf.position();
                    partial.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String l = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        if (!l.isBlank()) {
                            lines.add(Line.parse(l));
                        }
                    }
                }
            }
            return lines;
        }

        /** Waits for the paste and the submission carrying {@code tag}, and the answer's prompt after them. */
        Turn awaitTurn(String tag, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Line> all = poll();
                long paste = -1;
                long input = -1;
                for (int i = cursor; i < all.size(); i++) {
                    Line l = all.get(i);
                    if (paste < 0 && l.kind().equals("paste") && l.detail().contains(tag)) {
                        paste = l.micros();
                    } else if (paste >= 0 && input < 0 && l.kind().equals("input") && l.detail().contains(tag)) {
                        input = l.micros();
                    } else if (input >= 0 && l.kind().equals("prompt")) {
                        cursor = i + 1;
                        return new Turn(paste, input, l.micros());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the agent's trace " + file + " shows no paste, input and answer"
                            + " for " + tag + " within " + timeout + " (paste " + (paste >= 0) + ", input "
                            + (input >= 0) + ")");
                }
                Thread.sleep(1);
            }
        }

        /** How many {@code paste} lines carry each tag matching {@code tag}. */
        Map<String, Integer> pastedTags(Pattern tag) throws IOException {
            Map<String, Integer> out = new HashMap<>();
            for (Line l : poll()) {
                if (l.kind().equals("paste")) {
                    Matcher m = tag.matcher(l.detail());
                    while (m.find()) {
                        out.merge(m.group(), 1, Integer::sum);
                    }
                }
            }
            return out;
        }
    }

    /** A handoff worker's trace: one start-up and one turn (epoch micros). */
    record WorkerTrace(long processStart, long ready, long paste, long input, long prompt) {

        /** Reads a worker's trace; {@code bootFix} is added to the traced process start (see the caller). */
        static WorkerTrace read(Path file, String tag, Duration timeout, long bootFix)
                throws IOException, InterruptedException {
            Trace trace = new Trace(file);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Line ready = null;
                for (Line l : trace.poll()) {
                    if (l.kind().equals("ready")) {
                        ready = l;
                        break;
                    }
                }
                if (ready != null) {
                    if (ready.detail().isBlank()) {
                        throw new IllegalStateException("the worker's trace " + file + " has no process start on its"
                                + " `ready` line");
                    }
                    try {
                        Turn t = trace.awaitTurn(tag, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                        return new WorkerTrace(Long.parseLong(ready.detail().strip()) + bootFix, ready.micros(),
                                t.paste(), t.input(), t.prompt());
                    } catch (IllegalStateException e) {
                        throw new IllegalStateException("handoff worker: " + e.getMessage() + "; trace: "
                                + trace.poll());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the worker's trace " + file + " has no `ready` line within "
                            + timeout + " (is the packaged demo agent older than its CAOD_DEMO_TRACE ready/paste/input"
                            + " lines? rebuild with ./mvnw package -DskipTests)");
                }
                Thread.sleep(5);
            }
        }
    }

    // ---- helpers

    private SessionServiceGrpc.SessionServiceBlockingStub sessions() {
        return client.stub(SessionServiceGrpc.newBlockingStub(client.channel()));
    }

    private MessagingServiceGrpc.MessagingServiceBlockingStub messaging() {
        return client.stub(MessagingServiceGrpc.newBlockingStub(client.channel()));
    }

    private void awaitStatus(String terminal, Duration timeout, TerminalStatus... anyOf) {
        BenchSupport.awaitStatus(sessions(), terminal, timeout, anyOf);
    }

    /**
     * What the demo agent's traced process start lacks. Java's {@code ProcessHandle.Info.startInstant} on Linux is the
     * boot time from {@code /proc/stat} ({@code btime}, whole seconds) plus the process's start in clock ticks, so it
     * is early by the boot time's dropped fraction of a second. The exact boot time is now minus
     * {@code /proc/uptime} (10 ms steps, truncated, so the smallest of many samples is the closest).
     */
    static long bootTimeCorrectionMicros() throws IOException, InterruptedException {
        long btime = -1;
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("btime ")) {
                btime = Long.parseLong(line.substring(6).strip());
            }
        }
        if (btime < 0) {
            return 0;
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 40; i++) {
            String up = Files.readString(Path.of("/proc/uptime")).split("\\s+")[0];
            long uptimeMicros = new java.math.BigDecimal(up).movePointRight(6).longValueExact();
            best = Math.min(best, epochMicrosNow() - uptimeMicros);
            Thread.sleep(1);
        }
        long fix = best - btime * 1_000_000L;
        if (fix < -50_000 || fix > 1_050_000) {
            System.err.printf("handoff: boot time correction %d µs is implausible (clock changed since boot?);"
                    + " process start times left uncorrected%n", fix);
            return 0;
        }
        return fix;
    }
}
