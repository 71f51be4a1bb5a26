package dev.deploy.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.activation.HostLock;
import dev.deploy.host.LocalConnection;
import dev.deploy.plan.HostDrift;
import dev.deploy.plan.HostFacts;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drift.sh} and the repair path of {@code push.sh} on real directories of this machine (a local host): what
 * the fast and the full check find in a live store path, and a damaged path received again and swapped in.
 */
class DriftAndRepairTest {

    @TempDir
    Path dir;

    private final LocalConnection connection = new LocalConnection("local1");
    private HostLayout layout;
    private Artifact site;
    private Path live;

    private static Artifact site(String index) {
        return new MemoryTree().file("index.html", index, false).file("bin/run", "#!/bin/sh\necho hi\n", true)
                .file("assets/a.txt", "a\n", false).toArtifact("site", "path:site");
    }

    /** Pushes {@code site} and makes it the live generation's only root ({@code current/roots/source/site}). */
    @BeforeEach
    void deploySite() throws IOException {
        layout = new HostLayout(dir.resolve("state").toString());
        site = site("one\n");
        ArtifactPusher.push(connection, layout, List.of(site), TransferProgress.NONE);
        live = Path.of(layout.storePath(site.storePath()));
        Path roots = Path.of(layout.generation(1), "roots", "source");
        Files.createDirectories(roots);
        Files.createSymbolicLink(roots.resolve("site"), live);
        Files.writeString(Path.of(layout.manifest(1)), "{\"format\": 1, \"number\": 1, \"createdAt\": \"t\","
                + " \"host\": \"local1\", \"roots\": {\"source/site\": \"" + site.storePath() + "\"},"
                + " \"origins\": {}, \"services\": {}}\n");
        Files.createSymbolicLink(Path.of(layout.current()), Path.of("generations/1"));
    }

    private HostDrift.PathCheck check(HostDrift.Check how) {
        HostDrift drift = HostFacts.gather(connection, layout, List.of(), List.of(),
                HostDrift.program(layout, how, false, true)).drift();
        assertThat(drift.paths()).containsOnlyKeys(site.storePath());
        return drift.paths().get(site.storePath());
    }

    private void edit(Path file, String text) throws IOException {
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(file, text, StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    @Test
    void aFreshlySealedPathPassesBothChecks() {
        assertThat(check(HostDrift.Check.FAST)).isEqualTo(new HostDrift.PathCheck.Ok());
        assertThat(check(HostDrift.Check.FULL)).isEqualTo(new HostDrift.PathCheck.Ok());
    }

    @Test
    void anEditedFileIsFoundByItsModificationTimeAndAnEditThatPutTheTimeBackOnlyByVerify() throws IOException {
        Path index = live.resolve("index.html");
        FileTime sealed = Files.getLastModifiedTime(index);
        edit(index, "edited\n");
        assertThat(check(HostDrift.Check.FAST)).isEqualTo(new HostDrift.PathCheck.Damaged("modified", "index.html"));

        Files.setLastModifiedTime(index, sealed);
        assertThat(check(HostDrift.Check.FAST)).isEqualTo(new HostDrift.PathCheck.Ok());
        assertThat(check(HostDrift.Check.FULL)).isEqualTo(new HostDrift.PathCheck.Damaged("content", "index.html"));
    }

    @Test
    void aRemovedFileOrAChangedModeIsADamagedEntryAndAVanishedPathIsMissing() throws IOException {
        Files.setPosixFilePermissions(live.resolve("bin/run"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(check(HostDrift.Check.FAST)).isEqualTo(new HostDrift.PathCheck.Damaged("entry", "f 555 bin/run"));
        Files.setPosixFilePermissions(live.resolve("bin/run"), PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(live.resolve("assets"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(live.resolve("assets/a.txt"));
        Files.setPosixFilePermissions(live.resolve("assets"), PosixFilePermissions.fromString("r-xr-xr-x"));
        assertThat(check(HostDrift.Check.FAST)).isEqualTo(new HostDrift.PathCheck.Damaged("entry",
                "f 444 assets/a.txt"));
        Files.delete(Path.of(layout.meta(site.storePath())));
        assertThat(check(HostDrift.Check.FAST)).isInstanceOf(HostDrift.PathCheck.Unknown.class);
        chmodWritable(live);
        deleteTree(live);
        assertThat(check(HostDrift.Check.FAST)).isEqualTo(new HostDrift.PathCheck.Damaged("missing", ""));
    }

    @Test
    void aDamagedPathIsReceivedWholeAndSwappedInAndTheNextCheckIsClean() throws IOException {
        edit(live.resolve("index.html"), "edited\n");
        Object inodeBefore = Files.getAttribute(live, "unix:ino");
        TransferResult repaired = ArtifactPusher.push(connection, layout, List.of(site), Map.of(),
                Set.of(site.storePath()), TransferProgress.NONE);
        assertThat(repaired.files()).isEqualTo(3);
        assertThat(Files.readString(live.resolve("index.html"))).isEqualTo("one\n");
        assertThat(Files.getAttribute(live, "unix:ino")).as("a new directory took the name").isNotEqualTo(inodeBefore);
        assertThat(check(HostDrift.Check.FULL)).isEqualTo(new HostDrift.PathCheck.Ok());
        try (Stream<Path> store = Files.list(Path.of(layout.store()))) {
            assertThat(store.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".incoming-"));
        }
    }

    @Test
    void anEditInANewerStorePathDoesNotChangeTheOlderPathItWasCopiedFrom() throws IOException {
        Artifact v2 = site("two\n");
        Map<StorePath, BaseFetcher.Base> bases = BaseFetcher.fetch(connection, layout, List.of(
                new DeltaBases.Request(v2.storePath(), Optional.of(site.storePath()), List.of())));
        TransferResult delta = ArtifactPusher.push(connection, layout, List.of(v2), bases, TransferProgress.NONE);
        assertThat(delta.files()).as("only index.html crossed the wire").isEqualTo(1);
        Path newer = Path.of(layout.storePath(v2.storePath()));
        edit(newer.resolve("assets/a.txt"), "edited in the newer path\n");
        assertThat(Files.readString(live.resolve("assets/a.txt"))).isEqualTo("a\n");
    }

    @Test
    void theLockHolderAndLeftoversAreReported() throws IOException {
        Files.createDirectories(Path.of(layout.incomingPrefix() + "abcdefgh"));
        try (HostLock lock = HostLock.acquire(connection, layout, "deploy apply by test pid 1")) {
            HostDrift drift = HostFacts.gather(connection, layout, List.of(), List.of(),
                    HostDrift.program(layout, HostDrift.Check.NONE, false, true)).drift();
            assertThat(drift.lock()).contains(new HostDrift.LockState(HostDrift.LockState.Status.HELD,
                    "deploy apply by test pid 1"));
            assertThat(drift.leftovers()).containsExactly(layout.incomingPrefix() + "abcdefgh");
        }
        HostDrift after = HostFacts.gather(connection, layout, List.of(), List.of(),
                HostDrift.program(layout, HostDrift.Check.NONE, false, true)).drift();
        assertThat(after.lock()).contains(new HostDrift.LockState(HostDrift.LockState.Status.FREE, ""));
    }

    private static void chmodWritable(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
