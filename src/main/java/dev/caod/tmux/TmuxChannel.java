package dev.caod.tmux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

/**
 * One persistent tmux control-mode client ({@code tmux -C attach -t <session>}). It carries commands (about ten times
 * cheaper than a tmux process per command: bench/tmux-channel.sh) and, because it is attached, tmux tells it about
 * every byte a pane of that session writes ({@code %output}): the status engine's wake-up signal, with no polling.
 *
 * <p>Replies come back in the order commands were written, framed by {@code %begin}/{@code %end} (or
 * {@code %error}) with flag 1 for commands of this client; everything else is a notification.
 */
public final class TmuxChannel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TmuxChannel.class);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    /** What a channel reports besides replies. */
    public interface Listener {
        /** A pane (tmux id such as {@code %3}) wrote output. Called on the channel's reader thread: do not block. */
        void onOutput(String paneId);

        /** The control client ended (the session is gone or tmux died). */
        void onClosed(String reason);
    }

    private final String session;
    private final Process process;
    private final OutputStream stdin;
    private final Deque<CompletableFuture<List<String>>> pending = new ArrayDeque<>();
    private final Listener listener;
    private volatile boolean closed;

    private TmuxChannel(String session, Process process, Listener listener) {
        this.session = session;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.listener = listener;
    }

    static TmuxChannel attach(List<String> tmuxBase, String session, Listener listener) {
        List<String> argv = new ArrayList<>(tmuxBase);
        argv.addAll(List.of("-C", "attach-session", "-t", "=" + session));
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            TmuxChannel channel = new TmuxChannel(session, process, listener);
            Thread.ofVirtual().name("tmux-channel-" + session).start(channel::readLoop);
            return channel;
        } catch (IOException e) {
            throw new TmuxException("cannot start a tmux control client for session " + session + ": "
                    + e.getMessage() + ". Is tmux installed and on PATH? (`caod doctor` checks)", e);
        }
    }

    public String session() {
        return session;
    }

    public boolean isOpen() {
        return !closed && process.isAlive();
    }

    /**
     * Runs one tmux command line (already quoted, see {@link TmuxCommand}) and returns its output lines. Blocking:
     * call it from a worker or virtual thread.
     */
    public List<String> run(String commandLine) {
        CompletableFuture<List<String>> reply = new CompletableFuture<>();
        synchronized (this) {
            if (!isOpen()) {
                throw new TmuxException("the tmux control client of session " + session + " is closed");
            }
            pending.addLast(reply);
            try {
                stdin.write((commandLine + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                pending.remove(reply);
                throw new TmuxException("cannot write to tmux (session " + session + "): " + e.getMessage(), e);
            }
        }
        try {
            return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof TmuxException t ? new TmuxException(t.getMessage(), t)
                    : new TmuxException("tmux command failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new TmuxException("tmux did not answer `" + commandLine + "` within " + REPLY_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TmuxException("interrupted while waiting for tmux", e);
        }
    }

    private void readLoop() {
        String reason = "tmux control client ended";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> block = null;
            boolean ours = false;
            String line;
            while ((line = in.readLine()) != null) {
                if (block != null) {
                    if (line.startsWith("%end ") || line.startsWith("%error ")) {
                        if (ours) {
                            complete(block, line.startsWith("%error "));
                        }
                        block = null;
                    } else {
                        block.add(line);
                    }
                } else if (line.startsWith("%begin ")) {
                    block = new ArrayList<>();
                    ours = line.endsWith(" 1");
                } else if (line.startsWith("%output ")) {
                    int end = line.indexOf(' ', 8);
                    listener.onOutput(end < 0 ? line.substring(8) : line.substring(8, end));
                } else if (line.startsWith("%exit")) {
                    reason = "tmux control client exited" + (line.length() > 5 ? ":" + line.substring(5) : "");
                }
            }
        } catch (IOException | RuntimeException e) {
            reason = "tmux control client failed: " + e.getMessage();
        } finally {
            closed = true;
            failPending(reason);
            LOG.debugf("tmux channel %s closed: %s", session, reason);
            listener.onClosed(reason);
        }
    }

    private void complete(List<String> lines, boolean error) {
        CompletableFuture<List<String>> reply;
        synchronized (this) {
            reply = pending.pollFirst();
        }
        if (reply == null) {
            return;
        }
        if (error) {
            reply.completeExceptionally(new TmuxException("tmux: " + String.join(" ", lines)));
        } else {
            reply.complete(lines);
        }
    }

    private synchronized void failPending(String reason) {
        CompletableFuture<List<String>> reply;
        while ((reply = pending.pollFirst()) != null) {
            reply.completeExceptionally(new TmuxException(reason + " (session " + session + ")"));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            stdin.close(); // a control client detaches when its input ends
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
        }
    }

}
