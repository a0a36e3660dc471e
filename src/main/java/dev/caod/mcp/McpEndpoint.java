package dev.caod.mcp;

import java.io.IOException;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerRequest;

import dev.caod.terminal.TerminalService;
import dev.caod.terminal.TerminalView;

/**
 * caod's MCP endpoint, {@code POST /mcp} on the loopback HTTP port: stateless streamable HTTP (plain JSON answers,
 * 202 for notifications). Every call must carry the calling terminal's own bearer token; requests whose Host or Origin
 * is not loopback are refused (DNS rebinding).
 */
@Path("/mcp")
@RegisterForReflection(targets = McpSchema.class) // the SDK binds its nested records with Jackson (docs/native.md)
public class McpEndpoint {

    private static final Logger LOG = Logger.getLogger(McpEndpoint.class);
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private final McpBridge bridge;
    private final TerminalService terminals;

    public McpEndpoint(McpBridge bridge, TerminalService terminals, CaodMcpServer server) {
        this.bridge = bridge;
        this.terminals = terminals;
        server.ensureStarted();
    }

    @GET
    public Response noStream() {
        return Response.status(405).header("Allow", "POST").build(); // stateless: no server-sent stream
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Response call(String body, @HeaderParam("Authorization") String authorization,
            @Context HttpServerRequest http) {
        // (Host and Origin were checked for every route by dev.caod.daemon.LoopbackGuard)
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        TerminalView caller = terminals.byMcpToken(token).orElse(null);
        if (caller == null) {
            return Response.status(401).entity(error("missing or unknown terminal credential: caod gives each agent"
                    + " its own token in its MCP configuration; calls without it are refused")).build();
        }
        // a handoff waits for its worker: when the agent's CLI hangs up, the handoff is cancelled
        java.util.function.BooleanSupplier hungUp = () -> http.response().closed();
        McpTransportContext context = McpTransportContext.create(Map.of(CaodTools.CALLER, caller.id(),
                CaodTools.CANCELLED, hungUp));
        try {
            McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(JSON, body);
            if (message instanceof McpSchema.JSONRPCRequest request) {
                if (McpSchema.METHOD_TOOLS_LIST.equals(request.method())) {
                    terminals.mcpToolsListed(caller.id()); // part of being ready, for CLIs that list them at start
                }
                McpSchema.JSONRPCResponse response = bridge.handler().handleRequest(context, request).block();
                return Response.ok(JSON.writeValueAsString(response)).build();
            }
            if (message instanceof McpSchema.JSONRPCNotification notification) {
                bridge.handler().handleNotification(context, notification).block();
            }
            return Response.accepted().build();
        } catch (IOException | IllegalArgumentException e) {
            return Response.status(400).entity(error("not a JSON-RPC message: " + e.getMessage())).build();
        } catch (RuntimeException e) {
            LOG.warnf("MCP call from terminal %s failed: %s", caller.id(), e.toString());
            return Response.status(500).entity(error(e.toString())).build();
        }
    }

    private static String error(String message) {
        return "{\"error\":" + JsonString.of(message) + "}";
    }

    /** Minimal JSON string quoting for error bodies. */
    public static final class JsonString {
        public static String of(String s) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return "\"error\"";
            }
        }
    }
}
