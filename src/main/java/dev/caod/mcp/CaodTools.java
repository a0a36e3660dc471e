package dev.caod.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import dev.caod.inbox.InboxService;
import dev.caod.orchestration.Assignment;
import dev.caod.orchestration.HandoffOutcome;
import dev.caod.orchestration.HandoffResult;
import dev.caod.orchestration.Orchestrator;
import dev.caod.orchestration.WorkOrder;
import dev.caod.terminal.TerminalException;
import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;

/**
 * The tools agents call. Each acts as the calling terminal (identified by its credential, never by an argument), so
 * an agent can only speak for itself. Failures come back as tool errors whose text says what to do.
 */
@ApplicationScoped
public class CaodTools {

    /** Key of the calling terminal's id in the transport context. */
    static final String CALLER = "caod.terminal";
    /** Key of a {@link BooleanSupplier} that turns true once the caller hung up. */
    static final String CANCELLED = "caod.cancelled";

    private final TerminalService terminals;
    private final InboxService inbox;
    private final Orchestrator orchestrator;

    public CaodTools(TerminalService terminals, InboxService inbox, Orchestrator orchestrator) {
        this.terminals = terminals;
        this.inbox = inbox;
        this.orchestrator = orchestrator;
    }

    List<SyncToolSpecification> all() {
        return List.of(
                tool("handoff", "Hand a task to a new specialist agent and wait for its answer. caod starts a worker"
                        + " with the given profile in your session, types the task in once it is ready, waits until"
                        + " it finishes, returns its full answer and closes it. The result starts with the outcome:"
                        + " completed, timed_out, worker_error, waiting_user_answer or cancelled; only completed"
                        + " carries the worker's answer. Use assign instead to keep working while the worker runs.",
                        Map.of("agent_profile", str("The worker's profile, e.g. developer, reviewer, architect."),
                                "message", str("The task, complete: the worker knows nothing else of your work."),
                                "timeout_seconds", integer("How long to wait for the answer; default 600."),
                                "provider", str("Agent CLI for the worker, e.g. claude_code, codex; default: the"
                                        + " profile's, else yours.")),
                        List.of("agent_profile", "message"), call -> {
                            HandoffResult r = orchestrator.handoff(order(call, call.integer("timeout_seconds")),
                                    call.cancelled());
                            return new Reply(r.describe(), r.outcome() != HandoffOutcome.COMPLETED);
                        }),
                tool("assign", "Start a specialist agent on a task and return at once with its terminal id. The"
                        + " task is typed in when the worker is ready, with a note to report back: its report"
                        + " arrives in your prompt later as a message from that terminal. If the worker cannot"
                        + " start, you get a message saying so.",
                        Map.of("agent_profile", str("The worker's profile, e.g. reviewer."),
                                "message", str("The task, complete: the worker knows nothing else of your work."),
                                "provider", str("Agent CLI for the worker; default: the profile's, else yours.")),
                        List.of("agent_profile", "message"), call -> {
                            Assignment a = orchestrator.assign(order(call, null));
                            return Reply.ok("assigned to terminal " + a.workerId() + " (" + call.text("agent_profile")
                                    + "); its report will arrive as a message from terminal " + a.workerId());
                        }),
                tool("send_message", "Send a message to another agent's inbox. It is typed into that agent's prompt,"
                        + " prefixed with your terminal id, as soon as it is idle. Without receiver_id it goes to the"
                        + " agent that started you (report back this way when you were assigned a task).",
                        Map.of("receiver_id", str("The receiving terminal id; default: the agent that started you."),
                                "message", str("The text to deliver.")), List.of("message"),
                        call -> {
                            var m = inbox.send(call.caller(), call.text("receiver_id"), call.text("message"));
                            return Reply.ok("queued message " + m.id() + " for terminal " + m.receiverId()
                                    + "; it is typed in when that agent is idle");
                        }),
                tool("list_terminals", "List the agents of your session with their profile, provider and status.",
                        Map.of(), List.of(), call -> {
                            String session = terminals.terminal(call.caller()).sessionId();
                            StringBuilder out = new StringBuilder();
                            for (TerminalView t : terminals.terminals(session, Set.of(), false)) {
                                out.append(t.id()).append("  ").append(t.profile()).append("  ").append(t.provider())
                                        .append("  ").append(t.status().name().toLowerCase())
                                        .append(t.id().equals(call.caller()) ? "  (you)" : "").append('\n');
                            }
                            return Reply.ok(out.toString().strip());
                        }),
                tool("read_output", "Read another agent's output: its last answer (mode last, the default), its"
                        + " visible screen (screen) or its whole history (full).",
                        Map.of("terminal_id", str("The terminal to read."), "mode", str("last, screen or full.")),
                        List.of("terminal_id"), call -> {
                            String mode = call.text("mode") == null ? "last" : call.text("mode");
                            TerminalService.OutputMode m = switch (mode) {
                                case "last" -> TerminalService.OutputMode.LAST;
                                case "screen" -> TerminalService.OutputMode.SCREEN;
                                case "full" -> TerminalService.OutputMode.FULL;
                                default -> throw new TerminalException(TerminalException.Kind.INVALID,
                                        "mode: one of last, screen, full");
                            };
                            return Reply.ok(terminals.output(sameSession(call.caller(), call.text("terminal_id")), m,
                                    0).text());
                        }),
                tool("close_terminal", "Close an agent of your session that you no longer need (its transcript is"
                        + " kept).", Map.of("terminal_id", str("The terminal to close.")), List.of("terminal_id"),
                        call -> {
                            String target = sameSession(call.caller(), call.text("terminal_id"));
                            if (target.equals(call.caller())) {
                                throw new TerminalException(TerminalException.Kind.INVALID,
                                        "terminal_id: you cannot close yourself");
                            }
                            terminals.close(target);
                            return Reply.ok("closed terminal " + target);
                        }));
    }

    private static WorkOrder order(Call call, Integer timeoutSeconds) {
        return new WorkOrder(call.caller(), null, call.text("agent_profile"), call.text("message"),
                call.text("provider"), null, Map.of(), timeoutSeconds == null ? null
                        : Duration.ofSeconds(timeoutSeconds));
    }

    /** One tool call: who calls, with what, and whether they are still listening. */
    record Call(String caller, Map<String, Object> arguments, BooleanSupplier cancelled) {

        String text(String key) {
            Object v = arguments.get(key);
            return v == null ? null : v.toString();
        }

        Integer integer(String key) {
            Object v = arguments.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Number n && n.doubleValue() == n.intValue()) {
                return n.intValue();
            }
            try {
                return Integer.valueOf(v.toString().strip());
            } catch (NumberFormatException e) {
                throw new TerminalException(TerminalException.Kind.INVALID, key + ": `" + v + "` is not a whole"
                        + " number of seconds");
            }
        }
    }

    /** A tool's text result; {@code error} marks it failed for the model. */
    record Reply(String text, boolean error) {
        static Reply ok(String text) {
            return new Reply(text, false);
        }
    }

    /** A tool body. */
    interface Body {
        Reply run(Call call);
    }

    private SyncToolSpecification tool(String name, String description, Map<String, Object> properties,
            List<String> required, Body body) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description)
                .inputSchema(new McpSchema.JsonSchema("object", properties, required, false, null, null)).build();
        return new SyncToolSpecification(tool, (McpTransportContext ctx, McpSchema.CallToolRequest request) -> {
            String caller = (String) ctx.get(CALLER);
            BooleanSupplier cancelled = ctx.get(CANCELLED) instanceof BooleanSupplier b ? b : () -> false;
            try {
                Call call = new Call(caller, request.arguments() == null ? Map.of() : request.arguments(), cancelled);
                for (String r : required) {
                    if (call.text(r) == null || call.text(r).isBlank()) {
                        throw new TerminalException(TerminalException.Kind.INVALID, r + ": required");
                    }
                }
                Reply reply = body.run(call);
                return CallToolResult.builder().addTextContent(reply.text()).isError(reply.error()).build();
            } catch (TerminalException | IllegalArgumentException e) {
                return CallToolResult.builder().addTextContent(name + " failed: " + e.getMessage()).isError(true).build();
            }
        });
    }

    private String sameSession(String caller, String target) {
        if (target == null || target.isBlank()) {
            throw new TerminalException(TerminalException.Kind.INVALID, "terminal_id: required");
        }
        if (!terminals.terminal(target).sessionId().equals(terminals.terminal(caller).sessionId())) {
            throw new TerminalException(TerminalException.Kind.INVALID, "terminal_id: " + target
                    + " is not in your session; list_terminals shows the ones you can use");
        }
        return target;
    }

    private static Map<String, Object> str(String description) {
        return Map.of("type", "string", "description", description);
    }

    private static Map<String, Object> integer(String description) {
        return Map.of("type", "integer", "description", description, "minimum", 1);
    }
}
