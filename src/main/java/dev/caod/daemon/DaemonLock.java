package dev.caod.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One daemon per runtime folder. An OS file lock (released by the kernel when the process dies, however it dies)
 * rather than a pid file, so a crashed daemon never blocks the next start.
 */
public final class DaemonLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock and records this pid in it, or returns empty when another live process holds it. */
    public static Optional<DaemonLock> tryAcquire(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        channel.force(false);
        return Optional.of(new DaemonLock(channel, lock));
    }

    /** The pid written by the holder, for the "already running" message; empty if unreadable. */
    public static Optional<Long> holderPid(Path lockFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(lockFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
