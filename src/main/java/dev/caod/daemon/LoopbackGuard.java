package dev.caod.daemon;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Every HTTP route caod serves on its TCP port (the MCP endpoint, health, anything added later) answers loopback
 * clients only: a request whose Host is not a loopback name (DNS rebinding) or whose Origin is a web page elsewhere
 * (a browser tab driving caod) gets 403 before any handler runs. Requests over the Unix socket come from local
 * processes that passed the socket's 0600 mode, and gRPC has its own guard (the token on TCP), so both pass through.
 */
@ApplicationScoped
public class LoopbackGuard {

    /** Ahead of every route handler. */
    private static final int PRIORITY = 1000;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext rc) {
        SocketAddress local = rc.request().localAddress();
        String type = rc.request().getHeader("Content-Type");
        if (local != null && local.isDomainSocket() || type != null && type.startsWith("application/grpc")) {
            rc.next();
            return;
        }
        // HTTP/2 (an h2c upgrade, as java.net.http does) carries the host as :authority, not as a Host header
        var authority = rc.request().authority();
        String host = authority != null ? authority.toString() : rc.request().getHeader("Host");
        String origin = rc.request().getHeader("Origin");
        if (!isLoopbackHost(host)) {
            refuse(rc, "Host `" + host + "` is not a loopback address: caod serves http://127.0.0.1:<port> only");
        } else if (origin != null && !isLoopbackOrigin(origin)) {
            refuse(rc, "requests from web pages elsewhere (Origin `" + origin + "`) are refused: caod only answers"
                    + " local clients");
        } else {
            rc.next();
        }
    }

    private static void refuse(RoutingContext rc, String why) {
        rc.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                .end("{\"error\":" + dev.caod.mcp.McpEndpoint.JsonString.of(why) + "}");
    }

    /** {@code 127.0.0.1}, {@code localhost} or {@code [::1]}, with or without a port. */
    public static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]");
    }

    public static boolean isLoopbackOrigin(String origin) {
        return origin.matches("https?://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?");
    }
}
