package dev.caod.mcp;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import dev.caod.inbox.InboxService;
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

    private final TerminalService terminals;
    private final InboxService inbox;

    public CaodTools(TerminalService terminals, InboxService inbox) {
        this.terminals = terminals;
        this.inbox = inbox;
    }

    List<SyncToolSpecification> all() {
        return List.of(
                tool("send_message", "Send a message to another agent's inbox. It is typed into that agent's prompt,"
                        + " prefixed with your terminal id, as soon as it is idle. Without receiver_id it goes to the"
                        + " agent that started you (report back this way when you were assigned a task).",
                        Map.of("receiver_id", str("The receiving terminal id; default: the agent that started you."),
                                "message", str("The text to deliver.")), List.of("message"),
                        (caller, a) -> {
                            var m = inbox.send(caller, text(a, "receiver_id"), text(a, "message"));
                            return "queued message " + m.id() + " for terminal " + m.receiverId()
                                    + "; it is typed in when that agent is idle";
                        }),
                tool("list_terminals", "List the agents of your session with their profile, provider and status.",
                        Map.of(), List.of(), (caller, a) -> {
                            String session = terminals.terminal(caller).sessionId();
                            StringBuilder out = new StringBuilder();
                            for (TerminalView t : terminals.terminals(session, Set.of(), false)) {
                                out.append(t.id()).append("  ").append(t.profile()).append("  ").append(t.provider())
                                        .append("  ").append(t.status().name().toLowerCase())
                                        .append(t.id().equals(caller) ? "  (you)" : "").append('\n');
                            }
                            return out.toString().strip();
                        }),
                tool("read_output", "Read another agent's output: its last answer (mode last, the default), its"
                        + " visible screen (screen) or its whole history (full).",
                        Map.of("terminal_id", str("The terminal to read."), "mode", str("last, screen or full.")),
                        List.of("terminal_id"), (caller, a) -> {
                            String mode = text(a, "mode") == null ? "last" : text(a, "mode");
                            TerminalService.OutputMode m = switch (mode) {
                                case "last" -> TerminalService.OutputMode.LAST;
                                case "screen" -> TerminalService.OutputMode.SCREEN;
                                case "full" -> TerminalService.OutputMode.FULL;
                                default -> throw new TerminalException(TerminalException.Kind.INVALID,
                                        "mode: one of last, screen, full");
                            };
                            return terminals.output(sameSession(caller, text(a, "terminal_id")), m, 0).text();
                        }),
                tool("close_terminal", "Close an agent of your session that you no longer need (its transcript is"
                        + " kept).", Map.of("terminal_id", str("The terminal to close.")), List.of("terminal_id"),
                        (caller, a) -> {
                            String target = sameSession(caller, text(a, "terminal_id"));
                            if (target.equals(caller)) {
                                throw new TerminalException(TerminalException.Kind.INVALID,
                                        "terminal_id: you cannot close yourself");
                            }
                            terminals.close(target);
                            return "closed terminal " + target;
                        }));
    }

    /** A tool body: the calling terminal and the arguments in, the text result out. */
    interface Body {
        String run(String caller, Map<String, Object> arguments);
    }

    private SyncToolSpecification tool(String name, String description, Map<String, Object> properties,
            List<String> required, Body body) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description)
                .inputSchema(new McpSchema.JsonSchema("object", properties, required, false, null, null)).build();
        return new SyncToolSpecification(tool, (McpTransportContext ctx, McpSchema.CallToolRequest request) -> {
            String caller = (String) ctx.get(CALLER);
            try {
                Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
                for (String r : required) {
                    if (text(args, r) == null || text(args, r).isBlank()) {
                        throw new TerminalException(TerminalException.Kind.INVALID, r + ": required");
                    }
                }
                return CallToolResult.builder().addTextContent(body.run(caller, args)).isError(false).build();
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

    private static String text(Map<String, Object> args, String key) {
        Object v = args.get(key);
        return v == null ? null : v.toString();
    }
}
