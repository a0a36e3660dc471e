package dev.caod.daemon;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;

/**
 * A gRPC channel to a daemon's Unix socket with the one-thread event loop it owns: for the `caod` client and for the
 * daemon's own web gateway, which calls the daemon exactly as any other client does.
 */
public record SocketChannel(ManagedChannel channel, EpollEventLoopGroup group) implements AutoCloseable {

    public static SocketChannel open(Path socket) {
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                // the default authority would be the socket path, which HTTP/2 rejects
                .overrideAuthority("localhost")
                .usePlaintext()
                .build();
        return new SocketChannel(channel, group);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
