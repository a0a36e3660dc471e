package dev.caod.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.google.protobuf.Message;

import dev.caod.api.v1.Event;
import dev.caod.daemon.DaemonConfig;
import dev.caod.mcp.McpEndpoint;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The web dashboard's HTTP side: the login link, the security headers of its pages, and the JSON gateway onto the
 * gRPC API ({@code POST /api/v1/rpc/<service>/<method>}, server streams as Server-Sent Events on
 * {@code GET /api/v1/stream/<service>/<method>?request=<json>}). Every {@code /api/} call needs the dashboard cookie
 * (or {@code Authorization: Bearer <token>}); {@link dev.caod.daemon.LoopbackGuard} has already refused foreign
 * Hosts and Origins. gRPC calls block, so they run on virtual threads, never on the event loop.
 */
@ApplicationScoped
public class DashboardRoutes {

    private static final Logger LOG = Logger.getLogger(DashboardRoutes.class);
    static final String COOKIE = "caod_ui";
    private static final String BEARER = "Bearer ";
    private static final int MAX_BODY = 1 << 20;
    /** Ahead of routes, behind LoopbackGuard (1000). */
    private static final int HEADERS_PRIORITY = 900;
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final Map<Status.Code, Integer> HTTP_STATUS = Map.ofEntries(
            Map.entry(Status.Code.INVALID_ARGUMENT, 400), Map.entry(Status.Code.OUT_OF_RANGE, 400),
            Map.entry(Status.Code.UNAUTHENTICATED, 401), Map.entry(Status.Code.PERMISSION_DENIED, 403),
            Map.entry(Status.Code.NOT_FOUND, 404), Map.entry(Status.Code.ALREADY_EXISTS, 409),
            Map.entry(Status.Code.FAILED_PRECONDITION, 409), Map.entry(Status.Code.ABORTED, 409),
            Map.entry(Status.Code.RESOURCE_EXHAUSTED, 429), Map.entry(Status.Code.UNIMPLEMENTED, 501),
            Map.entry(Status.Code.UNAVAILABLE, 503), Map.entry(Status.Code.DEADLINE_EXCEEDED, 504),
            Map.entry(Status.Code.CANCELLED, 499));

    private final GrpcGateway gateway;
    private final DashboardToken token;
    private final boolean enabled;
    /** Open event streams: a stop closes them first, or it would wait out its grace period for browsers. */
    private final Map<HttpServerResponse, ClientCall<Message, Message>> streams = new ConcurrentHashMap<>();

    public DashboardRoutes(GrpcGateway gateway, DashboardToken token, DaemonConfig config) {
        this.gateway = gateway;
        this.token = token;
        this.enabled = config.dashboard().enabled();
    }

    /**
     * The first thing a stop does (before it waits for requests in flight): streams never end by themselves, so they
     * are ended (a stream closed without an end would still count as in flight); browsers reconnect once caod is
     * back, resuming from the last event id.
     */
    void stopping(@Observes ShutdownDelayInitiatedEvent stopping) {
        if (!streams.isEmpty()) {
            LOG.infof("closing %d dashboard stream(s): caod is stopping", streams.size());
        }
        streams.forEach((response, call) -> {
            call.cancel("caod is stopping", null);
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        });
    }

    void headers(@Observes Filters filters) {
        filters.register(rc -> {
            String path = rc.normalizedPath();
            if (path.startsWith("/ui") || path.startsWith("/api/")) {
                rc.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Frame-Options", "DENY")
                        .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer")
                        .putHeader("Cache-Control", "no-store");
            }
            rc.next();
        }, HEADERS_PRIORITY);
    }

    void routes(@Observes Router router) {
        if (!enabled) {
            router.route("/ui/*").order(-10).handler(rc -> error(rc, 404, "NOT_FOUND", "the dashboard is turned off"
                    + " (caod.dashboard.enabled=false)"));
            router.route("/api/*").order(-10).handler(rc -> error(rc, 404, "NOT_FOUND", "the dashboard is turned off"
                    + " (caod.dashboard.enabled=false)"));
            return;
        }
        router.get("/ui/login").order(-10).handler(this::login);
        // a regex: a plain "/ui" route would also match "/ui/" and redirect it to itself
        router.getWithRegex("/ui").order(-10).handler(rc -> redirect(rc, "/ui/"));
        router.route("/api/*").order(-10).handler(this::authenticate);
        router.post("/api/v1/rpc/*").order(-9).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.post("/api/v1/rpc/*").order(-8).handler(this::unary);
        router.get("/api/v1/stream/*").order(-8).handler(this::stream);
        router.route("/api/*").order(-7).handler(rc -> error(rc, 404, "NOT_FOUND", "no such route: "
                + rc.request().method() + " " + rc.normalizedPath() + "; the gateway has POST /api/v1/rpc/<service>/"
                + "<method> and GET /api/v1/stream/<service>/<method>"));
    }

    private void login(RoutingContext rc) {
        if (!token.accepts(rc.request().getParam("token"))) {
            rc.response().setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("This dashboard link is not valid (wrong or old token). Run `caod dashboard` for the current"
                            + " link.\n");
            return;
        }
        Cookie cookie = Cookie.cookie(COOKIE, rc.request().getParam("token").trim()).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT);
        rc.response().addCookie(cookie);
        redirect(rc, "/ui/");
    }

    private static void redirect(RoutingContext rc, String to) {
        rc.response().setStatusCode(303).putHeader("Location", to).end();
    }

    private void authenticate(RoutingContext rc) {
        String header = rc.request().getHeader("Authorization");
        Cookie cookie = rc.request().getCookie(COOKIE);
        boolean ok = header != null && header.startsWith(BEARER) ? token.accepts(header.substring(BEARER.length()))
                : cookie != null && token.accepts(cookie.getValue());
        if (!ok) {
            error(rc, 401, "UNAUTHENTICATED", "the dashboard needs its login: open the link `caod dashboard` prints"
                    + " (or send Authorization: Bearer <the token in <state>/" + DashboardToken.FILE_NAME + ">)");
            return;
        }
        rc.next();
    }

    private void unary(RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            // a cross-site form cannot send this type without a preflight, which the Origin check refuses
            error(rc, 415, "INVALID_ARGUMENT", "send the request as JSON (Content-Type: application/json)");
            return;
        }
        MethodDescriptor<Message, Message> method = method(rc, MethodDescriptor.MethodType.UNARY, "/api/v1/rpc/");
        if (method == null) {
            return;
        }
        String body = rc.body().asString();
        Context.CancellableContext call = Context.current().withCancellation();
        rc.response().closeHandler(v -> call.cancel(null));
        Thread.ofVirtual().name("ui-" + method.getBareMethodName()).start(() -> call.run(() -> {
            try {
                String answer = GrpcGateway.json(gateway.unary(method, gateway.request(method, body)));
                rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(answer);
            } catch (StatusRuntimeException e) {
                failed(rc, e);
            } catch (RuntimeException e) {
                LOG.warnf(e, "dashboard call %s failed", method.getFullMethodName());
                error(rc, 500, "INTERNAL", e.toString());
            }
        }));
    }

    private void stream(RoutingContext rc) {
        MethodDescriptor<Message, Message> method = method(rc, MethodDescriptor.MethodType.SERVER_STREAMING,
                "/api/v1/stream/");
        if (method == null) {
            return;
        }
        Message request;
        try {
            request = gateway.request(method, rc.request().getParam("request"),
                    rc.request().getHeader("Last-Event-ID"));
        } catch (StatusRuntimeException e) {
            failed(rc, e);
            return;
        }
        HttpServerResponse response = rc.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 2000\n\n");
        ClientCall<Message, Message> call = gateway.stream(method, request, new StreamObserver<>() {
            @Override
            public void onNext(Message m) {
                String id = m instanceof Event e ? "id: " + e.getId() + "\n" : "";
                response.write(id + "data: " + GrpcGateway.json(m) + "\n\n");
            }

            @Override
            public void onError(Throwable t) {
                Status s = Status.fromThrowable(t);
                if (s.getCode() != Status.Code.CANCELLED && !response.ended() && !response.closed()) {
                    response.end("event: error\ndata: " + errorJson(s.getCode().name(), description(s)) + "\n\n");
                }
            }

            @Override
            public void onCompleted() {
                if (!response.ended() && !response.closed()) {
                    response.end("event: end\ndata: {}\n\n");
                }
            }
        });
        streams.put(response, call);
        response.endHandler(v -> streams.remove(response));
        response.closeHandler(v -> {
            streams.remove(response);
            call.cancel("the browser went away", null);
        });
    }

    private MethodDescriptor<Message, Message> method(RoutingContext rc, MethodDescriptor.MethodType type,
            String prefix) {
        String name = rc.normalizedPath().substring(prefix.length());
        MethodDescriptor<Message, Message> method = gateway.method(name).orElse(null);
        if (method == null) {
            error(rc, 404, "NOT_FOUND", "no gRPC method `" + name + "`; methods are named like"
                    + " caod.v1.SessionService/ListSessions (see proto/caod/v1)");
            return null;
        }
        if (method.getType() != type) {
            error(rc, 400, "INVALID_ARGUMENT", name + " is " + method.getType().name().toLowerCase().replace('_', ' ')
                    + ": call it on " + (type == MethodDescriptor.MethodType.UNARY ? "/api/v1/stream/ with GET"
                            : "/api/v1/rpc/ with POST"));
            return null;
        }
        return method;
    }

    private static void failed(RoutingContext rc, StatusRuntimeException e) {
        Status s = e.getStatus();
        error(rc, HTTP_STATUS.getOrDefault(s.getCode(), 500), s.getCode().name(), description(s));
    }

    private static String description(Status s) {
        return s.getDescription() == null ? s.getCode().name().toLowerCase() : s.getDescription();
    }

    private static void error(RoutingContext rc, int status, String code, String message) {
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(errorJson(code, message));
    }

    private static String errorJson(String code, String message) {
        return "{\"error\":" + McpEndpoint.JsonString.of(message) + ",\"code\":" + McpEndpoint.JsonString.of(code) + "}";
    }
}
