package dev.caod.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/** {@code -o json}: protobuf answers in their canonical JSON, client-side results through Jackson. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonFormat.Printer PROTO = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

    private Json() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(value instanceof MessageOrBuilder m ? PROTO.print(m) : MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException | InvalidProtocolBufferException e) {
            throw new CliException(ExitCode.FAILURE, "cannot print JSON: " + e.getMessage());
        }
        out.flush();
    }
}
