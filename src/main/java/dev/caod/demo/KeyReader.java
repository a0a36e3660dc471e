package dev.caod.demo;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A daemon thread that reads the tty byte by byte (raw mode) and queues the decoded keys for the agent loop. */
public final class KeyReader {

    /** How long a lone ESC waits for a following byte before it counts as the Esc key. */
    static final long ESC_WAIT_MILLIS = 40;

    private final InputStream in;
    private final BlockingQueue<Key> keys = new LinkedBlockingQueue<>();
    private final KeyDecoder decoder = new KeyDecoder();

    public KeyReader(InputStream in) {
        this.in = in;
    }

    public KeyReader start() {
        Thread t = new Thread(this::run, "demo-agent-keys");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** The next key, or null after {@code millis} without one. */
    public Key poll(long millis) throws InterruptedException {
        return keys.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public Key take() throws InterruptedException {
        return keys.take();
    }

    /** Drops keys typed while they could not be used (e.g. during startup). */
    public void discardPending() {
        keys.clear();
    }

    private void run() {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                decoder.feed(buf, 0, n, keys::add);
                if (decoder.pendingEscape() && !moreComing()) {
                    decoder.flushEscape(keys::add);
                }
            }
        } catch (IOException e) {
            // the terminal went away
        }
        keys.add(Key.EOF);
    }

    private boolean moreComing() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ESC_WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (in.available() > 0) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return in.available() > 0;
    }
}
