package dev.caod.mcp;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;

import dev.caod.CaodVersion;

/** Builds the SDK's stateless server on the {@link McpBridge} once, with caod's tools. */
@ApplicationScoped
public class CaodMcpServer {

    private final McpBridge bridge;
    private final CaodTools tools;
    private volatile McpStatelessSyncServer server;

    public CaodMcpServer(McpBridge bridge, CaodTools tools) {
        this.bridge = bridge;
        this.tools = tools;
    }

    synchronized void ensureStarted() {
        if (server == null) {
            server = McpServer.sync(bridge).serverInfo("caod", CaodVersion.get())
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .instructions("caod: delegate to and talk with the other agents of your team.")
                    .tools(tools.all()).build();
        }
    }
}
