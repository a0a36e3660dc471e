package dev.caod.web;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.FlowServiceGrpc;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.ProfileServiceGrpc;
import dev.caod.api.v1.SessionServiceGrpc;
import dev.caod.daemon.DaemonConfig;
import dev.caod.daemon.SocketChannel;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * JSON over HTTP onto caod's own gRPC API, for the web dashboard: a request body in the proto3 JSON mapping becomes
 * the method's request message, the call goes to the daemon's Unix socket (the same services, checks and errors as
 * any gRPC client), and the answer comes back as JSON. Built from the generated service descriptors, so every method
 * is there with no code per method and nothing found by reflection.
 */
@ApplicationScoped
public class GrpcGateway {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace()
            .alwaysPrintFieldsWithNoPresence();

    private final Map<String, MethodDescriptor<Message, Message>> methods = new HashMap<>();
    private final DaemonConfig config;
    private volatile SocketChannel client;

    @SuppressWarnings("unchecked")
    public GrpcGateway(DaemonConfig config) {
        this.config = config;
        Stream.of(SessionServiceGrpc.getServiceDescriptor(), MessagingServiceGrpc.getServiceDescriptor(),
                FlowServiceGrpc.getServiceDescriptor(), ProfileServiceGrpc.getServiceDescriptor(),
                DaemonServiceGrpc.getServiceDescriptor()).map(ServiceDescriptor::getMethods).flatMap(
                        java.util.Collection::stream).forEach(m -> methods.put(m.getFullMethodName(),
                                (MethodDescriptor<Message, Message>) m));
    }

    /** A method by its full name, e.g. {@code caod.v1.SessionService/ListSessions}. */
    public Optional<MethodDescriptor<Message, Message>> method(String fullName) {
        return Optional.ofNullable(methods.get(fullName));
    }

    /** The request message from its JSON (empty = all defaults); INVALID_ARGUMENT naming the problem otherwise. */
    public Message request(MethodDescriptor<Message, Message> method, String json) {
        Message prototype = ((MethodDescriptor.PrototypeMarshaller<Message>) method.getRequestMarshaller())
                .getMessagePrototype();
        Message.Builder builder = prototype.newBuilderForType();
        try {
            PARSER.merge(json == null || json.isBlank() ? "{}" : json, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw Status.INVALID_ARGUMENT.withDescription("the request body is not a valid "
                    + prototype.getDescriptorForType().getName() + " in JSON: " + e.getMessage()
                    + " (field names in lowerCamelCase, enums by name, e.g. {\"terminalId\": \"ab12cd34\"})")
                    .asRuntimeException();
        }
        return builder.build();
    }

    /**
     * A stream's request; {@code lastEventId} (the browser's Last-Event-ID when an EventSource reconnects) replaces
     * the request's {@code after_event_id}, so a reconnected stream resumes where it broke off.
     */
    public Message request(MethodDescriptor<Message, Message> method, String json, String lastEventId) {
        Message request = request(method, json);
        var field = request.getDescriptorForType().findFieldByName("after_event_id");
        if (field == null || lastEventId == null || !lastEventId.matches("\\d{1,18}")) {
            return request;
        }
        return request.toBuilder().setField(field, Long.parseLong(lastEventId)).build();
    }

    /** Blocking: runs on a virtual thread; cancelled with the calling thread's gRPC context. */
    public Message unary(MethodDescriptor<Message, Message> method, Message request) {
        return ClientCalls.blockingUnaryCall(channel().channel(), method, CallOptions.DEFAULT, request);
    }

    /** Starts a server stream; cancel the returned call to end it. */
    public ClientCall<Message, Message> stream(MethodDescriptor<Message, Message> method, Message request,
            StreamObserver<Message> observer) {
        ClientCall<Message, Message> call = channel().channel().newCall(method, CallOptions.DEFAULT);
        ClientCalls.asyncServerStreamingCall(call, request, observer);
        return call;
    }

    public static String json(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new StatusRuntimeException(Status.INTERNAL.withDescription("cannot print " + e.getMessage()));
        }
    }

    private SocketChannel channel() {
        SocketChannel c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = SocketChannel.open(config.grpc().socket());
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
