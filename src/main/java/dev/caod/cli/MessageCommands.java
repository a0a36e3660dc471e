package dev.caod.cli;

import java.io.PrintWriter;
import java.util.function.Function;

import com.google.protobuf.MessageOrBuilder;

import dev.caod.api.v1.InboxMessage;
import dev.caod.api.v1.ListInboxRequest;
import dev.caod.api.v1.MessagingServiceGrpc;
import dev.caod.api.v1.SendMessageRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code caod send} and {@code caod inbox}: a person or a script uses the inboxes exactly like an agent. */
final class MessageCommands {

    private MessageCommands() {
    }

    static <T extends MessageOrBuilder> T call(ClientOptions options, Function<MessagingServiceGrpc.MessagingServiceBlockingStub, T> call) {
        return Rpc.call(options, MessagingServiceGrpc::newBlockingStub, call);
    }

    static void line(PrintWriter out, InboxMessage m) {
        out.printf("%6d  %-10s  from %-8s  %s%s%n", m.getId(),
                m.getState().name().substring("MESSAGE_STATE_".length()).toLowerCase(),
                m.getSenderTerminalId().isEmpty() ? "(you)" : m.getSenderTerminalId(),
                m.getBody().lines().findFirst().orElse(""),
                m.getFailureReason().isEmpty() ? "" : "  [" + m.getFailureReason() + "]");
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Queue a message in a terminal's inbox; it is typed in when that agent is idle.")
    static final class Send implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TERMINAL_ID")
        String receiver;
        @Parameters(index = "1", paramLabel = "MESSAGE")
        String body;
        @Option(names = "--from", paramLabel = "TERMINAL_ID", description = "Send as this terminal (default: you).")
        String from = "";

        @Override
        public void run() {
            var a = call(options, s -> s.sendMessage(SendMessageRequest.newBuilder().setSenderTerminalId(from)
                    .setReceiverTerminalId(receiver).setBody(body).build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, a, () -> line(out, a.getMessage()));
        }
    }

    @Command(name = "inbox", mixinStandardHelpOptions = true, description = "List a terminal's messages, oldest first.")
    static final class Inbox implements Runnable {
        @Mixin
        ClientOptions options;
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "TERMINAL_ID")
        String terminal;
        @Option(names = "--limit", description = "At most this many, newest kept (default 100).")
        int limit;

        @Override
        public void run() {
            var a = call(options, s -> s.listInbox(ListInboxRequest.newBuilder().setTerminalId(terminal)
                    .setLimit(limit).build()));
            PrintWriter out = spec.commandLine().getOut();
            Rpc.print(options, out, a, () -> a.getMessagesList().forEach(m -> line(out, m)));
        }
    }
}
