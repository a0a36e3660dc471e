package dev.caod.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.GetStatusRequest;
import dev.caod.cli.CaodCli;
import dev.caod.cli.DaemonClient;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** gRPC over loopback TCP, switched on: served only to callers that present the 0600 token. */
@QuarkusTest
@TestProfile(TcpTokenTest.TcpOn.class)
class TcpTokenTest {

    public static class TcpOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("caod.grpc.tcp.enabled", "true");
        }
    }

    @TestHTTPResource("/")
    URL http;

    @Inject
    TcpToken token;

    @Test
    void tokenFileIsPrivate() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token.file())));
    }

    @Test
    void callsWithoutOrWithAWrongTokenAreUnauthenticated() throws Exception {
        assertEquals(Status.Code.UNAUTHENTICATED, call(null).getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, call("Bearer not-the-token").getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, call("Basic " + tokenValue()).getCode());
    }

    @Test
    void callsWithTheTokenAreServed() throws Exception {
        assertEquals(Status.Code.OK, call("Bearer " + tokenValue()).getCode());
    }

    @Test
    void theCliUsesTcpWithTheTokenFile() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CaodCli.execute(new PrintWriter(out), new PrintWriter(err), "status", "--tcp",
                http.getHost() + ":" + http.getPort(), "--token-file", token.file().toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("(token)"), out.toString());
        code = CaodCli.execute(new PrintWriter(out), new PrintWriter(err), "status", "--tcp",
                http.getHost() + ":" + http.getPort(), "--token-file", "/nonexistent/token");
        assertEquals(8, code, err.toString());
    }

    private String tokenValue() throws Exception {
        return Files.readString(token.file()).trim();
    }

    private Status call(String authorization) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext().build();
        try {
            var stub = DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            if (authorization != null) {
                Metadata headers = new Metadata();
                headers.put(DaemonClient.AUTHORIZATION, authorization);
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            var status = stub.getStatus(GetStatusRequest.getDefaultInstance());
            assertFalse(status.getTcpAddress().isEmpty());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

}
