package dev.deploy.activation;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat that keeps a host's deploy lock held: one byte ({@code \n}) on the lock command's standard input
 * every {@link Timing#interval()}, from a daemon thread, until {@link #close()}. {@code lock.sh} releases the lock
 * when its input ends or when no byte arrived for {@link Timing#hostWait()}, so a hold on the host ends within that
 * bound however its controller vanished: closed, killed, or cut off by a network that silently drops packets (then
 * the host's sshd keeps the session open until TCP keepalive, about two hours, and end of input never comes).
 *
 * <p>A write that fails (the command ended, the connection broke) stops the heartbeat; a write stuck on a frozen
 * connection blocks only this daemon thread, never the run ({@link #close()} waits for it at most one interval).
 */
final class LockHeartbeat implements AutoCloseable {

    /**
     * How often the controller sends a byte and how long the host waits for one.
     *
     * @param interval time between two bytes (default {@value #DEFAULT_INTERVAL_SECONDS} s)
     * @param hostWait how long {@code lock.sh} holds the lock after the last byte, in whole seconds (default
     *                 {@value #DEFAULT_HOST_WAIT_SECONDS} s: several intervals, so a loaded controller or a slow
     *                 link does not lose the lock, and longer than the SSH transport's default silence limit (15 s,
     *                 {@code SshTimeouts}), so a controller whose connection stalls has given the connection up
     *                 before the host lets another deploy in)
     */
    record Timing(Duration interval, Duration hostWait) {
        static final int DEFAULT_INTERVAL_SECONDS = 5;
        static final int DEFAULT_HOST_WAIT_SECONDS = 30;
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(DEFAULT_INTERVAL_SECONDS),
                Duration.ofSeconds(DEFAULT_HOST_WAIT_SECONDS));

        Timing {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(hostWait, "hostWait");
            if (interval.isNegative() || interval.isZero() || hostWait.toSeconds() < 1
                    || hostWait.compareTo(interval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("the host must wait at least two heartbeat intervals and 1 s");
            }
        }
    }

    private static final byte BEAT = '\n';

    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private final Duration interval;

    private LockHeartbeat(String hostName, OutputStream stdin, Duration interval) {
        this.interval = interval;
        this.thread = new Thread(() -> beat(stdin), "lock-heartbeat-" + hostName);
        thread.setDaemon(true);
    }

    /** Starts sending to {@code stdin} at once (the first byte right away). */
    static LockHeartbeat start(String hostName, OutputStream stdin, Timing timing) {
        LockHeartbeat heartbeat = new LockHeartbeat(hostName, stdin, timing.interval());
        heartbeat.thread.start();
        return heartbeat;
    }

    private void beat(OutputStream stdin) {
        try {
            do {
                stdin.write(BEAT);
                stdin.flush();
            } while (!stop.await(interval.toNanos(), TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            // The command ended or the connection broke: nothing holds the lock any more.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether bytes are still being sent. */
    boolean running() {
        return thread.isAlive();
    }

    /** Stops sending; waits at most one interval for a write in progress, then leaves it to the daemon thread. */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(Math.max(1, interval.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
