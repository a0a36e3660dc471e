package dev.caod.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Function;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;

import dev.caod.api.v1.DisableFlowRequest;
import dev.caod.api.v1.EnableFlowRequest;
import dev.caod.api.v1.Flow;
import dev.caod.api.v1.FlowRun;
import dev.caod.api.v1.FlowRunOutcome;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.GetFlowRequest;
import dev.caod.api.v1.ListFlowRunsRequest;
import dev.caod.api.v1.ListFlowsRequest;
import dev.caod.api.v1.RunFlowRequest;
import dev.caod.api.v1.ValidateFlowRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caod flow …}: scheduled agent runs from the watched folders. */
@Command(name = "flow", mixinStandardHelpOptions = true, description = "Flows: cron-scheduled agent runs defined by"
        + " files in ~/.config/caod/flows (and configured folders).", subcommands = { FlowCommand.List.class,
                FlowCommand.Show.class, FlowCommand.Validate.class, FlowCommand.Run.class, FlowCommand.Enable.class,
                FlowCommand.Disable.class, FlowCommand.Runs.class })
final class FlowCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private FlowCommand() {
    }

    static <T extends MessageOrBuilder> T call(ClientOptions options,
            Function<FlowServiceGrpc.FlowServiceBlockingStub, T> call) {
        return Rpc.call(options, FlowServiceGrpc::newBlockingStub, call);
    }

    static String state(Flow f) {
        return f.getState().name().substring("FLOW_STATE_".length()).toLowerCase(Locale.ROOT);
    }

    static String outcome(FlowRunOutcome o) {
        return o.name().substring("FLOW_RUN_OUTCOME_".length()).toLowerCase(Locale.ROOT);
    }

    static String time(Timestamp t) {
        return t.getSeconds() == 0 ? "-" : TIME.format(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
    }

    static void line(PrintWriter out, Flow f) {
        out.printf("%-24s  %-8s  %-16s  next %-19s  last %s%n", f.getName(), state(f), f.getSchedule(),
                time(f.getNextRunAt()), f.hasLastRun() ? outcome(f.getLastRun().getOutcome()) + " "
                        + time(f.getLastRun().getStartedAt()) : "-");
        if (!f.getError().isEmpty()) {
            f.getError().lines().forEach(l -> out.println("    " + l));
        }
    }

    static void line(PrintWriter out, FlowRun r) {
        out.printf("%6d  %-24s  %-17s  %s%s%s%s%n", r.getId(), r.getFlowName(), outcome(r.getOutcome()),
                time(r.getStartedAt()), r.getSessionId().isEmpty() ? "" : "  session " + r.getSessionId(),
                r.getResumed() ? "  (resumed after a restart)" : "",
                r.getError().isEmpty() ? "" : "  [" + r.getError().lines().findFirst().orElse("") + "]");
    }

    abstract static class Named extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List flows: state, schedule, next and last run.")
    static final class List extends ClientCommand {
        @Option(names = "--all", description = "Include files that do not validate, with their errors.")
        boolean all;

        @Override
        public void run() {
            var a = call(options, s -> s.listFlows(ListFlowsRequest.newBuilder().setIncludeInvalid(all).build()));
            Rpc.print(options, out(), a, () -> a.getFlowsList().forEach(f -> line(out(), f)));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one flow, its prompt and its last run.")
    static final class Show extends Named {
        @Override
        public void run() {
            var a = call(options, s -> s.getFlow(GetFlowRequest.newBuilder().setName(name).build()));
            Rpc.print(options, out(), a, () -> {
                Flow f = a.getFlow();
                line(out(), f);
                out().printf("  file %s%n  agent %s%s, timeout %ds%s%n", f.getFilePath(), f.getAgentProfile(),
                        f.getProvider().isEmpty() ? "" : " (" + f.getProvider() + ")", f.getTimeout().getSeconds(),
                        f.getScriptCount() == 0 ? "" : ", script " + String.join(" ", f.getScriptList()));
                out().println(f.getPromptTemplate().strip());
            });
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a flow file without installing it; exit 1 when it has errors.")
    static final class Validate extends ClientCommand {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public void run() {
            String content = read(file);
            var a = call(options, s -> s.validateFlow(ValidateFlowRequest.newBuilder().setContent(content)
                    .setFileName(file).build()));
            Rpc.print(options, out(), a, () -> report(a.getProblemsList(), a.getOk(), file, "flow "
                    + a.getFlow().getName() + ", " + a.getFlow().getSchedule()));
            failUnless(a.getOk(), file);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a flow now (a disabled one too).")
    static final class Run extends Named {
        @Option(names = "--wait", description = "Wait until the run ends and print its answer.")
        boolean await;

        @Override
        public void run() {
            var a = Rpc.call(options, FlowServiceGrpc::newBlockingStub, s -> (await ? s.withDeadlineAfter(25,
                    java.util.concurrent.TimeUnit.HOURS) : s).runFlow(RunFlowRequest.newBuilder().setName(name)
                            .setWait(await).build()));
            Rpc.print(options, out(), a, () -> {
                line(out(), a.getRun());
                if (!a.getRun().getAnswerExcerpt().isEmpty()) {
                    out().println(a.getRun().getAnswerExcerpt());
                }
            });
            if (await && a.getRun().getOutcome() != FlowRunOutcome.FLOW_RUN_OUTCOME_SUCCEEDED
                    && a.getRun().getOutcome() != FlowRunOutcome.FLOW_RUN_OUTCOME_SKIPPED_BY_SCRIPT) {
                throw new CliException(a.getRun().getOutcome() == FlowRunOutcome.FLOW_RUN_OUTCOME_TIMED_OUT
                        ? ExitCode.TIMEOUT : ExitCode.FAILURE, "the run ended " + outcome(a.getRun().getOutcome())
                                + (a.getRun().getError().isEmpty() ? "" : ": " + a.getRun().getError()));
            }
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Schedule a flow (kept across restarts).")
    static final class Enable extends Named {
        @Override
        public void run() {
            var a = call(options, s -> s.enableFlow(EnableFlowRequest.newBuilder().setName(name).build()));
            Rpc.print(options, out(), a, () -> line(out(), a.getFlow()));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stop scheduling a flow (kept across restarts; a running run continues).")
    static final class Disable extends Named {
        @Override
        public void run() {
            var a = call(options, s -> s.disableFlow(DisableFlowRequest.newBuilder().setName(name).build()));
            Rpc.print(options, out(), a, () -> line(out(), a.getFlow()));
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "Run history, newest first.")
    static final class Runs extends ClientCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this flow's runs.")
        String name = "";
        @Option(names = "--limit", description = "At most this many (default 50).")
        int limit;

        @Override
        public void run() {
            var a = call(options, s -> s.listFlowRuns(ListFlowRunsRequest.newBuilder().setFlowName(name)
                    .setLimit(limit).build()));
            Rpc.print(options, out(), a, () -> a.getRunsList().forEach(r -> line(out(), r)));
        }
    }
}
