package dev.caod.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.caod.api.v1.DaemonServiceGrpc;
import dev.caod.api.v1.GetStatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** With the default settings, the loopback port serves HTTP but refuses gRPC: only the socket takes it. */
@QuarkusTest
class TcpAccessTest {

    @TestHTTPResource("/")
    URL http;

    @Test
    void grpcOverTcpIsRefusedWhenTcpIsOff() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext().build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> DaemonServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                            .getStatus(GetStatusRequest.getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.toString());
            assertTrue(e.getStatus().getDescription().contains("Unix socket"), e.getStatus().getDescription());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
