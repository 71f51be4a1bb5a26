package dev.deploy.host.ssh;

import net.schmizz.sshj.SSHClient;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one hop of an SSH connection. While connecting, each step (banner, key exchange, login) has its
 * own limit; once logged in, the hop is live while bytes keep arriving from the server at least once per
 * {@link SshTimeouts#silenceLimit()} (keep-alive requests make a healthy server answer). When a limit passes, the
 * hop's {@link Link} is closed: whatever sshj or a command was blocked on fails at once, and {@link #expired()} says
 * why, in words for the user.
 *
 * <p>One daemon thread checks every watch ten times a second; a watch costs nothing else.
 */
final class HopWatch implements AutoCloseable {

    private static final long TICK_MILLIS = 100;
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ssh-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    /** What the hop is doing now, as named in an expiry message. */
    enum Step {
        BANNER("no SSH banner from %s within %s"),
        KEY_EXCHANGE("key exchange with %s did not finish within %s"),
        LOGIN("login at %s got no answer within %s"),
        LIVE("%s stopped answering: nothing received for %s");

        private final String message;

        Step(String message) {
            this.message = message;
        }
    }

    private final SshTimeouts timeouts;
    private final SSHClient client;
    private final Link link;
    private final ScheduledFuture<?> task;
    private volatile Step step;
    private volatile long deadlineNanos;
    private volatile String expired;
    private final java.util.concurrent.atomic.AtomicInteger away = new java.util.concurrent.atomic.AtomicInteger();

    private HopWatch(SshTimeouts timeouts, SSHClient client, Link link) {
        this.timeouts = timeouts;
        this.client = client;
        this.link = link;
        enter(Step.BANNER);
        this.task = TICKER.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts watching a hop whose link is open and whose banner is awaited next. */
    static HopWatch start(SshTimeouts timeouts, SSHClient client, Link link) {
        return new HopWatch(timeouts, client, link);
    }

    /** The handshake is done; the login begins. */
    void loggingIn() {
        enter(Step.LOGIN);
    }

    /** Logged in: from now on only silence longer than the keep-alive limit ends the hop. */
    void live() {
        enter(Step.LIVE);
    }

    /** Something that may block while the hop waits on this machine, not on the host. */
    @FunctionalInterface
    interface LocalWait<T, E extends Exception> {
        T call() throws E;
    }

    /**
     * Runs {@code wait}, a request to something on this machine that has its own deadline (ssh-agent, which may
     * wait for a confirmation or a token's touch), with the hop's step deadline stopped: a slow agent is not a
     * silent host, and must neither close the hop nor be reported as the host's fault. The step then starts over
     * with a full limit.
     */
    <T, E extends Exception> T whileWaitingLocally(LocalWait<T, E> wait) throws E {
        away.incrementAndGet();
        try {
            return wait.call();
        } finally {
            if (away.decrementAndGet() == 0) {
                deadlineNanos = System.nanoTime() + timeouts.connect().toNanos();
                link.touch();
            }
        }
    }

    /** Why the hop was closed by a deadline, if it was. */
    Optional<String> expired() {
        return Optional.ofNullable(expired);
    }

    @Override
    public void close() {
        task.cancel(false);
    }

    private void enter(Step next) {
        step = next;
        deadlineNanos = System.nanoTime() + timeouts.connect().toNanos();
    }

    private void tick() {
        try {
            check();
        } catch (RuntimeException e) {
            // A failed check must not end the watch (a scheduled task that throws is never run again).
        }
    }

    private void check() {
        if (expired != null || link.isClosed()) {
            task.cancel(false);
            return;
        }
        if (away.get() > 0) {
            return;
        }
        long now = System.nanoTime();
        Step current = step;
        // sshj starts its reader thread once the server's identification line has been read.
        if (current == Step.BANNER && client.getTransport().isRunning()) {
            enter(Step.KEY_EXCHANGE);
            return;
        }
        if (current == Step.LIVE) {
            Duration limit = timeouts.silenceLimit();
            if (now - link.lastReadNanos() > limit.toNanos()) {
                expire(current, limit);
            }
        } else if (now - deadlineNanos > 0) {
            expire(current, timeouts.connect());
        }
    }

    private void expire(Step current, Duration limit) {
        expired = String.format(current.message, link.description(), seconds(limit));
        link.close();
        task.cancel(false);
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : String.format("%.1fs", millis / 1000.0);
    }
}
