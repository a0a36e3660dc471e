package dev.caod.profile;

import java.util.List;
import java.util.Map;

/** An extra MCP server of a profile: stdio ({@code command}, {@code args}, {@code env}) or HTTP ({@code url}). */
public record McpServerSpec(String name, String command, List<String> args, Map<String, String> env, String url,
        Map<String, String> headers) {

    public boolean isHttp() {
        return url != null && !url.isEmpty();
    }
}
