package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.LocalConnection;
import dev.deploy.plan.HostFacts;
import dev.deploy.plan.HostState;
import dev.deploy.store.HostLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HostLock on this machine: real flock, real state directory. */
class HostLockTest {

    @TempDir
    Path state;

    @Test
    void takingTheLockAlsoReadsTheFactsInTheSameRoundTrip() throws Exception {
        Files.createDirectories(state.resolve("generations/1"));
        Files.createDirectories(state.resolve("generations/2"));
        Files.writeString(state.resolve("generations/2/manifest.json"), "{\"format\": 1, \"number\": 2,"
                + " \"roots\": {}, \"origins\": {}, \"services\": {}}\n");
        Files.createSymbolicLink(state.resolve("current"), Path.of("generations/2"));
        HostLayout layout = new HostLayout(state.toString());
        HostState gathered;
        try (LocalConnection connection = new LocalConnection("box")) {
            gathered = HostFacts.gather(connection, layout);
        }
        try (LocalConnection connection = new LocalConnection("box")) {
            try (HostLock lock = HostLock.acquire(connection, layout, "test owner")) {
                assertThat(connection.stats().roundTrips()).isEqualTo(1);
                assertThat(connection.stats().bytesReceived()).as("the facts count as received")
                        .isGreaterThan(HostFacts.END_LINE.length());
                assertThat(lock.held()).isTrue();
                assertThat(lock.facts().currentNumber()).contains(2);
                assertThat(lock.facts().generations()).containsExactly(1, 2);
                assertThat(lock.facts().arch()).isEqualTo(gathered.arch()).isNotEqualTo("unknown");
                assertThat(lock.facts().freeBytes()).isPositive();
                assertThat(lock.facts().systemd()).isEqualTo(gathered.systemd());
                assertThat(Files.readString(state.resolve("lock.owner"))).isEqualTo("test owner\n");
            }
        }
        assertThat(state.resolve("lock.owner")).doesNotExist();
    }

    @Test
    void aSecondLockFailsAtOnceNamingTheHolder() throws Exception {
        HostLayout layout = new HostLayout(state.toString());
        try (LocalConnection first = new LocalConnection("box");
             LocalConnection second = new LocalConnection("box");
             HostLock held = HostLock.acquire(first, layout, "deploy apply by alice")) {
            assertThatThrownBy(() -> HostLock.acquire(second, layout, "deploy apply by bob"))
                    .isInstanceOfSatisfying(DeployException.class,
                            e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.LOCKED))
                    .hasMessage("box: lock: another deploy holds " + layout.lock()
                            + " (deploy apply by alice); try again when it ends");
            assertThat(held.held()).isTrue();
        }
        try (LocalConnection again = new LocalConnection("box");
             HostLock lock = HostLock.acquire(again, layout, "deploy apply by bob")) {
            assertThat(lock.facts().generations()).isEmpty();
        }
    }
}
