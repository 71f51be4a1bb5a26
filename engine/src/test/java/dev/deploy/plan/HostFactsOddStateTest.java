package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.activation.HostLock;
import dev.deploy.host.LocalConnection;
import dev.deploy.store.HostLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host states deploy cannot have made are clear host errors (exit 1, host and step named), never an internal error
 * and never a wrapped-around generation number. Real state directories, read by the real facts script.
 */
class HostFactsOddStateTest {

    @TempDir
    Path state;

    private static final String MANIFEST = "{\"format\": 1, \"number\": 1, \"roots\": {}, \"origins\": {},"
            + " \"services\": {}}\n";

    private DeployException gatherFails() {
        try (LocalConnection connection = new LocalConnection("box")) {
            HostFacts.gather(connection, new HostLayout(state.toString()));
        } catch (DeployException e) {
            assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST);
            assertThat(e.host()).contains("box");
            assertThat(e.step()).contains("gather facts");
            return e;
        }
        throw new AssertionError("gathering facts succeeded");
    }

    @Test
    void aGenerationNumberBeyondAnIntIsAHostError() throws Exception {
        Files.createDirectories(state.resolve("generations/99999999999"));
        assertThat(gatherFails().detail()).startsWith("generations/99999999999 is not a generation number deploy can"
                + " use (1 to 2147483646)");
    }

    @Test
    void theLargestIntIsRefusedBeforeItsSuccessorWrapsAround() throws Exception {
        Files.createDirectories(state.resolve("generations/2147483647"));
        assertThat(gatherFails().detail()).startsWith("generations/2147483647 is not a generation number");
    }

    @Test
    void theLargestUsableNumberStillHasASuccessor() throws Exception {
        Files.createDirectories(state.resolve("generations/2147483646"));
        try (LocalConnection connection = new LocalConnection("box")) {
            HostState facts = HostFacts.gather(connection, new HostLayout(state.toString()));
            assertThat(facts.nextGenerationNumber()).isEqualTo(Integer.MAX_VALUE);
        }
    }

    @Test
    void currentPointingOutsideTheGenerationsIsAHostError() throws Exception {
        Files.createSymbolicLink(state.resolve("current"), Path.of("/etc"));
        assertThat(gatherFails().detail()).isEqualTo("current points to /etc, not to a generation (odd host state)");
    }

    @Test
    void currentPointingAtAMissingGenerationIsAHostError() throws Exception {
        Files.createSymbolicLink(state.resolve("current"), Path.of("generations/3"));
        assertThat(gatherFails().detail()).startsWith("current points to generations/3, which does not exist");
    }

    @Test
    void anEmptyManifestOfTheLiveGenerationIsAHostError() throws Exception {
        Files.createDirectories(state.resolve("generations/1"));
        Files.writeString(state.resolve("generations/1/manifest.json"), "");
        Files.createSymbolicLink(state.resolve("current"), Path.of("generations/1"));
        assertThat(gatherFails().detail()).isEqualTo("the current generation 1 has an empty or missing manifest.json"
                + " (odd host state)");
    }

    @Test
    void aDamagedManifestOfTheLiveGenerationIsAHostError() throws Exception {
        Files.createDirectories(state.resolve("generations/1"));
        Files.writeString(state.resolve("generations/1/manifest.json"), "{\"format\": 1, \"roots\": {");
        Files.createSymbolicLink(state.resolve("current"), Path.of("generations/1"));
        assertThat(gatherFails().detail()).startsWith("the current generation's manifest.json is damaged");
    }

    @Test
    void theLockReportsOddStateAsAHostErrorToo() throws Exception {
        Files.createDirectories(state.resolve("generations/99999999999"));
        try (LocalConnection connection = new LocalConnection("box")) {
            assertThatThrownBy(() -> HostLock.acquire(connection, new HostLayout(state.toString()), "test"))
                    .isInstanceOfSatisfying(DeployException.class,
                            e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                    .hasMessageStartingWith("box: gather facts: generations/99999999999 is not a generation number");
        }
    }

    @Test
    void aFailureMarkOnTheLiveGenerationMakesApplyNeverANoOp() throws Exception {
        Files.createDirectories(state.resolve("generations/1"));
        Files.writeString(state.resolve("generations/1/manifest.json"), MANIFEST);
        Files.writeString(state.resolve("generations/1/failed"), "2026-01-01T00:00:00Z daemon-reload: boom\n");
        Files.createSymbolicLink(state.resolve("current"), Path.of("generations/1"));
        try (LocalConnection connection = new LocalConnection("box")) {
            HostState facts = HostFacts.gather(connection, new HostLayout(state.toString()));
            assertThat(facts.currentFailure()).contains("2026-01-01T00:00:00Z daemon-reload: boom");
        }
        assertThat(List.of()).isEmpty();
    }

    @Test
    void aSecretKeyThatCannotBeReadIsReportedAsUnreadableNotAsAbsent() throws Exception {
        try (LocalConnection connection = new LocalConnection("box")) {
            HostLayout layout = new HostLayout(state.toString());
            assertThat(HostFacts.gather(connection, layout).secrets().keyUnreadable()).isFalse();
            // Stand-in for a root-only key read by another user (the tests run as root, who reads every file):
            // a key that exists and that cat cannot read.
            Files.createDirectories(Path.of(layout.secretKey()));
            HostState facts = HostFacts.gather(connection, layout);
            assertThat(facts.secrets().keyUnreadable()).isTrue();
            assertThat(facts.secrets().key()).isEmpty();
        }
    }
}
