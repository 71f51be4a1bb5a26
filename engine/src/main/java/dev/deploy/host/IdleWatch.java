package dev.deploy.host;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle deadline of one command on a host: a command that writes nothing to stdout or stderr and reads nothing
 * of its stdin for {@code limit} is stopped (the {@code stop} action: a signal and closing the channel, or killing
 * the local process tree), so a command stuck on the host (a hung NFS mount under {@code df}, a {@code flock} on a
 * wedged file system) cannot hang the run while the SSH connection itself stays alive and answers keep-alives.
 * Progress is counted in bytes that move, not in time spent: a long push that keeps sending never expires.
 */
public final class IdleWatch implements AutoCloseable {

    /**
     * The idle limit of a command that gives none: generous, since store verification, byte-compiling a venv or a
     * package build on the host may be silent for minutes; steps with a longer bound of their own (health checks)
     * pass that bound instead.
     */
    public static final Duration DEFAULT_LIMIT = Duration.ofMinutes(10);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "command-idle-watch");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration limit;
    private final Runnable stop;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean expired;
    private boolean finished; // guarded by this

    /**
     * Starts watching; {@code stop} runs once, on the watch's own thread, when the command has made no progress for
     * {@code limit}.
     */
    public IdleWatch(Duration limit, Runnable stop) {
        this.limit = limit;
        this.stop = stop;
        long period = Math.max(50, Math.min(1000, limit.toMillis() / 4));
        this.check = TIMER.scheduleWithFixedDelay(this::checkNow, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void checkNow() {
        if (!finished && !expired && System.nanoTime() - lastProgress >= limit.toNanos()) {
            expired = true;
            check.cancel(false);
            try {
                stop.run();
            } catch (RuntimeException e) {
                // stopping is best effort; the caller reports the stall either way
            }
        }
    }

    /** Counts as progress. */
    public void touch() {
        lastProgress = System.nanoTime();
    }

    /** Whether the limit passed and the command was stopped. */
    public boolean expired() {
        return expired;
    }

    /** The error for a stopped command on {@code host}: names the limit, starts with the host like other errors. */
    public IOException stalled(String host) {
        return new CommandStalled(host + ": a command on the host made no progress for " + words(limit)
                + " (no output, no input read) and was stopped; the host may have a hung mount or a wedged disk");
    }

    /** {@code stream}, counting every byte read from it as progress. */
    public InputStream watch(InputStream stream) {
        return new FilterInputStream(stream) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                touch();
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                touch();
                return n;
            }
        };
    }

    /** {@code stream}, counting every write that returned (the host took the bytes) as progress. */
    public OutputStream watch(OutputStream stream) {
        return new FilterOutputStream(stream) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                touch();
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                touch();
            }
        };
    }

    /**
     * Stops watching and says whether the limit passed (the stop action then ran). Once this returns the stop action
     * cannot run any more, so a caller can undo what it does (clear an interrupt) without a race.
     */
    public synchronized boolean finish() {
        finished = true;
        check.cancel(false);
        return expired;
    }

    @Override
    public void close() {
        finish();
    }

    private static String words(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 && seconds >= 60 ? seconds / 60 + " min" : seconds + " s";
    }

    /** A command stopped by its idle deadline. */
    public static final class CommandStalled extends IOException {
        CommandStalled(String message) {
            super(message);
        }
    }
}
