package dev.caod.mcp;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import reactor.core.publisher.Mono;

/**
 * The MCP SDK's server side ships only servlet transports; caod has no servlet container, so the SDK gets this
 * stateless transport and {@link McpEndpoint} feeds it the HTTP requests Quarkus receives.
 */
@ApplicationScoped
public class McpBridge implements McpStatelessServerTransport {

    private volatile McpStatelessServerHandler handler;

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    McpStatelessServerHandler handler() {
        return handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }
}
