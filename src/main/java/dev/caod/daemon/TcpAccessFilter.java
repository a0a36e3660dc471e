package dev.caod.daemon;

import io.grpc.Status;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * gRPC shares one HTTP server between the Unix socket and the loopback port. Calls over the socket pass (its 0600
 * mode in a 0700 folder is the guard); calls over TCP pass only when TCP is enabled and they carry the token.
 */
@ApplicationScoped
public class TcpAccessFilter {

    /** Above the framework's own filters, so no gRPC handler sees an unauthenticated TCP call. */
    static final int PRIORITY = 10_000;

    @Inject
    DaemonConfig config;

    @Inject
    TcpToken token;

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (!isGrpc(request) || overUnixSocket(request)) {
            rc.next();
        } else if (!config.grpc().tcp().enabled()) {
            reject(rc.response(), Status.PERMISSION_DENIED, "gRPC over TCP is disabled on this daemon. Use the Unix"
                    + " socket " + config.grpc().socket() + ", or set caod.grpc.tcp.enabled=true and send the token"
                    + " from " + token.file() + ".");
        } else if (!token.accepts(request.getHeader("authorization"))) {
            reject(rc.response(), Status.UNAUTHENTICATED, "gRPC over TCP needs `authorization: Bearer <token>` with"
                    + " the token from " + token.file() + " (readable only by the daemon's user).");
        } else {
            rc.next();
        }
    }

    private static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader("content-type");
        return type != null && type.startsWith("application/grpc");
    }

    private static boolean overUnixSocket(HttpServerRequest request) {
        SocketAddress local = request.localAddress();
        return local != null && local.isDomainSocket();
    }

    /** A trailers-only gRPC answer, so clients see a proper status instead of an HTTP error. */
    private static void reject(HttpServerResponse response, Status status, String message) {
        response.setStatusCode(200)
                .putHeader("content-type", "application/grpc")
                .putHeader("grpc-status", String.valueOf(status.getCode().value()))
                .putHeader("grpc-message", percentEncode(message))
                .end();
    }

    /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2 spec). */
    static String percentEncode(String message) {
        StringBuilder out = new StringBuilder();
        for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
