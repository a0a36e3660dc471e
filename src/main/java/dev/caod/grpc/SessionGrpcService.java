package dev.caod.grpc;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import dev.caod.api.v1.AwaitStatusRequest;
import dev.caod.api.v1.AwaitStatusResponse;
import dev.caod.api.v1.CloseTerminalRequest;
import dev.caod.api.v1.CloseTerminalResponse;
import dev.caod.api.v1.CreateSessionRequest;
import dev.caod.api.v1.CreateSessionResponse;
import dev.caod.api.v1.CreateTerminalRequest;
import dev.caod.api.v1.CreateTerminalResponse;
import dev.caod.api.v1.DeleteSessionRequest;
import dev.caod.api.v1.DeleteSessionResponse;
import dev.caod.api.v1.ExplainStatusRequest;
import dev.caod.api.v1.ExplainStatusResponse;
import dev.caod.api.v1.GetOutputRequest;
import dev.caod.api.v1.GetOutputResponse;
import dev.caod.api.v1.GetSessionRequest;
import dev.caod.api.v1.GetSessionResponse;
import dev.caod.api.v1.GetTerminalRequest;
import dev.caod.api.v1.GetTerminalResponse;
import dev.caod.api.v1.ListSessionsRequest;
import dev.caod.api.v1.ListSessionsResponse;
import dev.caod.api.v1.ListTerminalsRequest;
import dev.caod.api.v1.ListTerminalsResponse;
import dev.caod.api.v1.MatchedLine;
import dev.caod.api.v1.OutputMode;
import dev.caod.api.v1.SendInputRequest;
import dev.caod.api.v1.SendInputResponse;
import dev.caod.api.v1.SendKeysRequest;
import dev.caod.api.v1.SendKeysResponse;
import dev.caod.api.v1.ScreenUpdate;
import dev.caod.api.v1.Session;
import dev.caod.api.v1.SessionService;
import dev.caod.api.v1.WatchScreenRequest;
import dev.caod.terminal.AgentStatus;
import dev.caod.terminal.Protos;
import dev.caod.terminal.ScreenWatchers;
import dev.caod.terminal.SessionView;
import dev.caod.terminal.TerminalService;
import dev.caod.tmux.Tmux;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;

/** gRPC face of the terminal runtime: thin mapping onto {@link TerminalService}, on virtual threads. */
@GrpcService
public class SessionGrpcService extends GrpcSupport implements SessionService {

    private final TerminalService terminals;
    private final Tmux tmux;

    public SessionGrpcService(TerminalService terminals, Tmux tmux) {
        this.terminals = terminals;
        this.tmux = tmux;
    }

    /** A session with the tmux socket a person attaches to (none once it is closed: its server is gone). */
    private Session session(SessionView s) {
        return Protos.session(s).toBuilder().setTmuxSocket(s.closedAt() == null ? tmux.socketOf(s.tmuxSession()) : "")
                .build();
    }

    @Override
    @RunOnVirtualThread
    public Uni<CreateSessionResponse> createSession(CreateSessionRequest r) {
        return answer(() -> {
            var created = terminals.createSession(r.getProfile(), r.getProvider(), r.getWorkingDirectory(), r.getName(),
                    env(r.getEnvList()), r.getInitialMessage());
            return CreateSessionResponse.newBuilder().setSession(session(created.session()))
                    .setSupervisor(Protos.terminal(created.supervisor())).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<ListSessionsResponse> listSessions(ListSessionsRequest r) {
        return answer(() -> {
            return ListSessionsResponse.newBuilder().addAllSessions(terminals.sessions(r.getIncludeClosed()).stream()
                    .map(this::session).toList()).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<GetSessionResponse> getSession(GetSessionRequest r) {
        return answer(() -> {
            var s = terminals.session(r.getSessionId(), true);
            return GetSessionResponse.newBuilder().setSession(session(s))
                    .addAllTerminals(s.terminals().stream().map(Protos::terminal).toList()).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<DeleteSessionResponse> deleteSession(DeleteSessionRequest r) {
        return answer(() -> {
            return DeleteSessionResponse.newBuilder().setSession(session(terminals.deleteSession(r.getSessionId())))
                    .build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<CreateTerminalResponse> createTerminal(CreateTerminalRequest r) {
        return answer(() -> {
            return CreateTerminalResponse.newBuilder().setTerminal(Protos.terminal(terminals.createTerminal(
                    r.getSessionId(), r.getProfile(), r.getProvider(), r.getWorkingDirectory(), r.getCallerTerminalId(),
                    env(r.getEnvList())))).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<ListTerminalsResponse> listTerminals(ListTerminalsRequest r) {
        return answer(() -> {
            Set<AgentStatus> statuses = r.getStatusesList().stream().map(Protos::status).collect(Collectors.toSet());
            return ListTerminalsResponse.newBuilder().addAllTerminals(terminals.terminals(r.getSessionId(), statuses,
                    r.getIncludeExited()).stream().map(Protos::terminal).toList()).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<GetTerminalResponse> getTerminal(GetTerminalRequest r) {
        return answer(() -> {
            return GetTerminalResponse.newBuilder().setTerminal(Protos.terminal(terminals.terminal(r.getTerminalId())))
                    .build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<SendInputResponse> sendInput(SendInputRequest r) {
        return answer(() -> {
            var result = terminals.sendInput(r.getTerminalId(), r.getText(), r.getNoSubmit(), r.getForce());
            return SendInputResponse.newBuilder().setTerminal(Protos.terminal(result.terminal()))
                    .setResubmits(result.resubmits()).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<SendKeysResponse> sendKeys(SendKeysRequest r) {
        return answer(() -> {
            return SendKeysResponse.newBuilder().setTerminal(Protos.terminal(terminals.sendKeys(r.getTerminalId(),
                    r.getKeysList()))).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<GetOutputResponse> getOutput(GetOutputRequest r) {
        return answer(() -> {
            OutputMode mode = r.getMode() == OutputMode.OUTPUT_MODE_UNSPECIFIED ? OutputMode.OUTPUT_MODE_LAST_ANSWER
                    : r.getMode();
            var out = terminals.output(r.getTerminalId(), switch (mode) {
                case OUTPUT_MODE_SCREEN -> TerminalService.OutputMode.SCREEN;
                case OUTPUT_MODE_FULL -> TerminalService.OutputMode.FULL;
                case OUTPUT_MODE_TRANSCRIPT -> TerminalService.OutputMode.TRANSCRIPT;
                default -> TerminalService.OutputMode.LAST;
            }, r.getMaxLines());
            return GetOutputResponse.newBuilder().setText(out.text()).setStatus(Protos.status(out.status()))
                    .setMode(mode).build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<ExplainStatusResponse> explainStatus(ExplainStatusRequest r) {
        return answer(() -> {
            var e = terminals.explain(r.getTerminalId());
            var b = ExplainStatusResponse.newBuilder().setStatus(Protos.status(e.verdict().status()))
                    .setRule(e.verdict().rule()).setProvider(e.provider());
            e.verdict().matches().forEach(m -> b.addMatchedLines(MatchedLine.newBuilder().setLineNumber(m.row())
                    .setText(m.text()).setPattern(m.pattern())));
            if (e.snapshot() != null) {
                b.setPaneTitle(e.snapshot().pane().title()).setForegroundCommand(e.snapshot().pane().currentCommand())
                        .setEvaluatedAt(Protos.ts(e.snapshot().at())).setScreen(String.join("\n", e.snapshot().screen()));
            }
            return b.build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<AwaitStatusResponse> awaitStatus(AwaitStatusRequest r) {
        return answer(() -> {
            Duration timeout = r.hasTimeout() && (r.getTimeout().getSeconds() > 0 || r.getTimeout().getNanos() > 0)
                    ? Duration.ofSeconds(r.getTimeout().getSeconds(), r.getTimeout().getNanos()) : Duration.ofSeconds(60);
            if (timeout.compareTo(Duration.ofHours(24)) > 0) {
                throw Status.INVALID_ARGUMENT.withDescription("timeout: at most 24 h").asRuntimeException();
            }
            var a = terminals.awaitStatus(r.getTerminalId(), r.getAnyOfList().stream().map(Protos::status)
                    .collect(Collectors.toSet()), timeout);
            return AwaitStatusResponse.newBuilder().setTerminal(Protos.terminal(a.terminal())).setReached(a.reached())
                    .build();
        });
    }

    @Override
    @RunOnVirtualThread
    public Uni<CloseTerminalResponse> closeTerminal(CloseTerminalRequest r) {
        return answer(() -> {
            return CloseTerminalResponse.newBuilder().setTerminal(Protos.terminal(terminals.close(r.getTerminalId())))
                    .build();
        });
    }

    @Override
    public Multi<ScreenUpdate> watchScreen(WatchScreenRequest r) {
        // only the newest screen matters to a viewer that falls behind
        return Multi.createFrom().<ScreenUpdate>emitter(emitter -> Thread.ofVirtual().name("screen-"
                + r.getTerminalId()).start(() -> {
                    try {
                        AutoCloseable watching = terminals.watchScreen(r.getTerminalId(), new ScreenWatchers.Watcher() {
                            @Override
                            public void frame(ScreenWatchers.Frame f) {
                                emitter.emit(ScreenUpdate.newBuilder().setTerminalId(f.terminalId()).setText(f.text())
                                        .setStatus(Protos.status(f.status())).setLifecycle(Protos.lifecycle(f.lifecycle()))
                                        .setAt(Protos.ts(f.at())).build());
                            }

                            @Override
                            public void ended() {
                                emitter.complete();
                            }
                        });
                        emitter.onTermination(() -> stop(watching));
                        if (emitter.isCancelled()) {
                            stop(watching);
                        }
                    } catch (RuntimeException e) {
                        emitter.fail(status(e));
                    }
                }), BackPressureStrategy.LATEST);
    }

    private static void stop(AutoCloseable watching) {
        try {
            watching.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop watching a screen", e);
        }
    }
}
