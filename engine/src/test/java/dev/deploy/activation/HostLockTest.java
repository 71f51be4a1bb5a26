package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.ForwardingConnection;
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

    @Test
    void aPlantedLockOwnerLinkIsRefusedAndItsTargetUntouched() throws Exception {
        Path victim = Files.writeString(state.getParent().resolve("victim-" + System.nanoTime()), "precious\n");
        Files.createDirectories(state.resolve("state"));
        Files.createSymbolicLink(state.resolve("state/lock.owner"), victim);
        HostLayout layout = new HostLayout(state.resolve("state").toString());
        try (LocalConnection connection = new LocalConnection("box")) {
            assertThatThrownBy(() -> HostLock.acquire(connection, layout, "deploy apply by root"))
                    .isInstanceOfSatisfying(DeployException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST);
                        assertThat(e.getMessage()).isEqualTo("box: state directory: " + layout.lockOwner()
                                + " is a symbolic link: deploy never follows links inside its state directory");
                    });
        } finally {
            assertThat(Files.readString(victim)).isEqualTo("precious\n");
            Files.delete(victim);
        }
    }

    @Test
    void aPlantedLinkForADirectoryOfTheLayoutIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(state.resolve("elsewhere"));
        Files.createDirectories(state.resolve("state"));
        Files.createSymbolicLink(state.resolve("state/generations"), elsewhere);
        HostLayout layout = new HostLayout(state.resolve("state").toString());
        try (LocalConnection connection = new LocalConnection("box")) {
            assertThatThrownBy(() -> HostLock.acquire(connection, layout, "test"))
                    .hasMessage("box: state directory: " + layout.generations()
                            + " is a symbolic link: deploy never follows links inside its state directory");
        }
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aStateDirectoryWritableByOthersIsRefused() throws Exception {
        Path dir = Files.createDirectories(state.resolve("shared"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        HostLayout layout = new HostLayout(dir.toString());
        try (LocalConnection connection = new LocalConnection("box")) {
            assertThatThrownBy(() -> HostLock.acquire(connection, layout, "test"))
                    .hasMessage("box: state directory: " + dir + " is writable by group or others (mode 777): refusing"
                            + " to use it (chmod go-w)");
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aStateDirectoryBelowAGroupWritableDirectoryIsRefused() throws Exception {
        Path parent = Files.createDirectories(state.resolve("group"));
        Files.setPosixFilePermissions(parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
        HostLayout layout = new HostLayout(parent.resolve("state").toString());
        try (LocalConnection connection = new LocalConnection("box")) {
            assertThatThrownBy(() -> HostLock.acquire(connection, layout, "test"))
                    .hasMessageContaining(parent + " is writable by group or others (mode 775)");
        }
    }

    @Test
    void aStateDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "only root can give a directory away");
        Path dir = Files.createDirectories(state.resolve("theirs"));
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        HostLayout layout = new HostLayout(dir.toString());
        try (LocalConnection connection = new LocalConnection("box")) {
            assertThatThrownBy(() -> HostLock.acquire(connection, layout, "test"))
                    .hasMessageMatching("box: state directory: " + java.util.regex.Pattern.quote(dir.toString())
                            + " belongs to uid [0-9]+, not to root: refusing to use it as or above a state"
                            + " directory");
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aStateDirectoryThatCannotBeCreatedReportsTheRealCause() throws Exception {
        Path file = Files.writeString(state.resolve("a-file"), "x");
        HostLayout layout = new HostLayout(file.resolve("state").toString());
        try (LocalConnection connection = new LocalConnection("box")) {
            assertThatThrownBy(() -> HostLock.acquire(connection, layout, "test"))
                    .hasMessageStartingWith("box: state directory: mkdir: ")
                    .hasMessageContaining("Not a directory")
                    .hasMessageNotContaining("flock");
        }
    }

    @Test
    void theLayoutIsCreatedWithExplicitModesWhateverTheUmask() throws Exception {
        HostLayout layout = new HostLayout(state.resolve("fresh").toString());
        try (dev.deploy.host.HostConnection connection = new ForwardingConnection(new LocalConnection("box")) {
            @Override
            public RunningCommand start(String script) throws java.io.IOException {
                return delegate.start("umask 000\n" + script);
            }
        }; HostLock lock = HostLock.acquire(connection, layout, "test")) {
            for (String dir : java.util.List.of(layout.stateDir(), layout.store(), layout.meta(), layout.generations(),
                    layout.watchdog(), layout.takenOver())) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(Path.of(dir)))).as(dir).isEqualTo("rwxr-xr-x");
            }
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(Path.of(layout.lockOwner())))).isEqualTo("rw-r--r--");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(Path.of(layout.lock())))).isEqualTo("rw-r--r--");
        }
    }
}
