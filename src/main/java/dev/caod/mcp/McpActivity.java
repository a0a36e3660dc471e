package dev.caod.mcp;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which terminals' CLIs have fetched caod's tool list, and when: a CLI that has not cannot call handoff or
 * send_message yet (its MCP client is still connecting), which is worth knowing before giving it a task that needs
 * them.
 */
@ApplicationScoped
public class McpActivity {

    private final Map<String, Instant> toolsListed = new ConcurrentHashMap<>();

    void toolsListed(String terminal) {
        toolsListed.put(terminal, Instant.now());
    }

    /** When the terminal's CLI last listed caod's tools; empty if it never has (since this daemon started). */
    public Optional<Instant> toolsListedAt(String terminal) {
        return Optional.ofNullable(toolsListed.get(terminal));
    }
}
