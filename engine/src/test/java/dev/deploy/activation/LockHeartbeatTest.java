package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.ForwardingConnection;
import dev.deploy.host.LocalConnection;
import dev.deploy.store.HostLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock's heartbeat on this machine (real flock, real lock.sh under /bin/sh), with a shortened timing. A holder
 * whose heartbeat no longer arrives, while its standard input stays open (what a silent network cut does to the
 * host's sshd session), lets the lock go; a holder whose heartbeat arrives keeps it however long it runs. The
 * {@code @Timeout} only keeps a regression from hanging the build.
 */
@Timeout(120)
class LockHeartbeatTest {

    private static final LockHeartbeat.Timing SHORT =
            new LockHeartbeat.Timing(Duration.ofMillis(250), Duration.ofSeconds(2));
    /** Generous: only a hold that never ends misses it. */
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    @TempDir
    Path state;

    @Test
    void aHoldWhoseHeartbeatStopsWhileItsInputStaysOpenEndsAndTheLockCanBeTakenAgain() throws Exception {
        HostLayout layout = new HostLayout(state.toString());
        // The heartbeat's bytes are lost on the way, as on a frozen network; the command's real stdin stays open.
        ForwardingConnection cut = new ForwardingConnection(new LocalConnection("box")) {
            @Override
            public RunningCommand start(String script) throws IOException {
                RunningCommand real = delegate.start(script);
                return new RunningCommand() {
                    @Override
                    public InputStream stdout() {
                        return real.stdout();
                    }

                    @Override
                    public OutputStream stdin() {
                        return OutputStream.nullOutputStream();
                    }

                    @Override
                    public boolean isAlive() {
                        return real.isAlive();
                    }

                    @Override
                    public void close() throws IOException {
                        real.close();
                    }
                };
            }
        };
        try (HostLock stranded = HostLock.acquire(cut, layout, "deploy apply by a vanished controller", List.of(),
                SHORT)) {
            assertThat(stranded.held()).isTrue();

            try (HostLock next = eventuallyAcquire(layout)) {
                assertThat(next.held()).isTrue();
            }
            assertThat(stranded.held()).as("the stranded hold ended by itself, its input still open").isFalse();
        }
    }

    @Test
    void aHoldWhoseHeartbeatArrivesOutlastsTheHostsWait() throws Exception {
        HostLayout layout = new HostLayout(state.toString());
        try (LocalConnection first = new LocalConnection("box");
             LocalConnection second = new LocalConnection("box");
             HostLock held = HostLock.acquire(first, layout, "deploy apply by alice", List.of(), SHORT)) {
            Thread.sleep(SHORT.hostWait().multipliedBy(3).toMillis());

            assertThat(held.held()).isTrue();
            assertThatThrownBy(() -> HostLock.acquire(second, layout, "deploy apply by bob", List.of(), SHORT))
                    .isInstanceOfSatisfying(DeployException.class,
                            e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.LOCKED));
        }
    }

    @Test
    void releasingTheLockStopsTheHeartbeat() throws Exception {
        HostLayout layout = new HostLayout(state.toString());
        HostLock lock;
        try (LocalConnection connection = new LocalConnection("box")) {
            lock = HostLock.acquire(connection, layout, "test", List.of(), SHORT);
            assertThat(lock.heartbeatRunning()).isTrue();
            lock.close();
        }
        assertThat(lock.held()).isFalse();
        assertThat(lock.heartbeatRunning()).isFalse();
    }

    private static HostLock eventuallyAcquire(HostLayout layout) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            try {
                return HostLock.acquire(new LocalConnection("box"), layout, "deploy apply by the next controller");
            } catch (DeployException e) {
                if (e.kind() != DeployException.Kind.LOCKED || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
