package dev.deploy.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.activation.GarbageCollector;
import dev.deploy.host.LocalConnection;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push script on a local target (real files, real sh, tar, cp, sha256sum): deltas, links, safety. */
class ArtifactPusherDeltaTest {

    @TempDir
    Path dir;

    private final LocalConnection connection = new LocalConnection("local1");

    /** A site of 40 files in a few directories, one executable, with {@code index.html} set to {@code index}. */
    private static Artifact site(String index) {
        MemoryTree tree = new MemoryTree().file("index.html", index, false).file("bin/run", "#!/bin/sh\necho hi\n", true);
        for (int i = 0; i < 38; i++) {
            tree.file("assets/part" + (i % 3) + "/file-" + i + ".txt", ("content of file " + i + "\n").repeat(50), false);
        }
        return tree.toArtifact("site", "path:site");
    }

    private HostLayout layout(String name) {
        return new HostLayout(dir.resolve(name).toString());
    }

    private Path storePath(HostLayout layout, Artifact artifact) {
        return Path.of(layout.storePath(artifact.storePath()));
    }

    private Map<StorePath, BaseFetcher.Base> bases(HostLayout layout, Artifact target, Artifact base) {
        return BaseFetcher.fetch(connection, layout, List.of(new DeltaBases.Request(target.storePath(),
                Optional.of(base.storePath()), List.of())));
    }

    /** Relative path to "kind mode content" of every entry under {@code root}. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                String what = Files.isSymbolicLink(path) ? "l " + Files.readSymbolicLink(path)
                        : Files.isDirectory(path) ? "d " + mode : "f " + mode + " " + Files.readString(path);
                entries.put(root.relativize(path).toString(), what);
            }
        }
        return entries;
    }

    private static Object inode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:ino");
    }

    @Test
    void oneChangedFileIsTheOnlyOneSentAndTheResultEqualsAFullPush() throws Exception {
        HostLayout host = layout("host");
        Artifact v1 = site("one\n");
        Artifact v2 = site("two!\n");
        TransferResult first = ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        assertThat(first.files()).isEqualTo(40);
        assertThat(first.filesReused()).isZero();
        assertThat(Path.of(host.store(), ".meta", v1.storePath().toString())).isRegularFile();
        Map<String, String> baseBefore = snapshot(storePath(host, v1));

        Map<StorePath, BaseFetcher.Base> bases = bases(host, v2, v1);
        assertThat(bases).containsOnlyKeys(v2.storePath());
        assertThat(bases.get(v2.storePath()).path()).isEqualTo(v1.storePath());
        long wireBefore = connection.stats().bytesSent();
        long[] progressBytes = {-1};
        TransferResult delta = ArtifactPusher.push(connection, host, List.of(v2), bases,
                (h, bytes, total, files, totalFiles) -> progressBytes[0] = total);

        assertThat(delta.files()).isEqualTo(1);
        assertThat(delta.contentBytes()).isEqualTo(5);
        assertThat(progressBytes[0]).isEqualTo(5);
        // Tar headers and gzip-compressed lists; the whole tree would be about 60 kB.
        assertThat(connection.stats().bytesSent() - wireBefore).isLessThan(12 * 1024);
        assertThat(delta.filesReused()).isEqualTo(39);
        assertThat(delta.bytesReused()).isEqualTo(v2.tree().totalBytes() - 5);

        HostLayout reference = layout("reference");
        ArtifactPusher.push(connection, reference, List.of(v2), TransferProgress.NONE);
        assertThat(snapshot(storePath(host, v2))).isEqualTo(snapshot(storePath(reference, v2)));
        assertThat(snapshot(storePath(host, v1))).as("the base is untouched").isEqualTo(baseBefore);
        assertThat(Files.readString(storePath(host, v2).resolve("index.html"))).isEqualTo("two!\n");
        assertThat(Files.getPosixFilePermissions(storePath(host, v2).resolve("bin/run")))
                .isEqualTo(PosixFilePermissions.fromString("r-xr-xr-x"));

        Path unchanged = Path.of("assets/part1/file-4.txt");
        assertThat(inode(storePath(host, v2).resolve(unchanged))).as("hard link")
                .isEqualTo(inode(storePath(host, v1).resolve(unchanged)));
        assertThat(Files.getAttribute(storePath(host, v1).resolve(unchanged), "unix:nlink")).isEqualTo(2);
        assertThat(inode(storePath(host, v2).resolve("index.html")))
                .isNotEqualTo(inode(storePath(host, v1).resolve("index.html")));
        assertThat(Path.of(host.store(), ".meta", v2.storePath().toString())).isRegularFile();
        try (Stream<Path> store = Files.list(Path.of(host.store()))) {
            assertThat(store.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".incoming-"));
        }
    }

    @Test
    void aDeltaOfTheDeltaUsesTheNewestPathAsBase() throws Exception {
        HostLayout host = layout("host");
        Artifact v1 = site("one\n");
        Artifact v2 = site("two\n");
        Artifact v3 = site("three\n");
        ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        ArtifactPusher.push(connection, host, List.of(v2), bases(host, v2, v1), TransferProgress.NONE);
        TransferResult third = ArtifactPusher.push(connection, host, List.of(v3), bases(host, v3, v2),
                TransferProgress.NONE);
        assertThat(third.files()).isEqualTo(1);
        assertThat(Files.getAttribute(storePath(host, v3).resolve("bin/run"), "unix:nlink")).isEqualTo(3);
    }

    @Test
    void aMissingLinkSourceFailsTheDeltaSafelyAndTheRetrySendsEverything() throws Exception {
        HostLayout host = layout("host");
        Artifact v1 = site("one\n");
        Artifact v2 = site("two\n");
        ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        Map<StorePath, BaseFetcher.Base> bases = bases(host, v2, v1);
        Path base = storePath(host, v1);
        Files.setPosixFilePermissions(base.resolve("assets/part0"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.delete(base.resolve("assets/part0/file-3.txt"));

        // The delta's script on its own: it fails, and nothing appears under the final name.
        List<PathDelta> deltas = List.of(PathDelta.of(v2, Optional.of(bases.get(v2.storePath()))));
        var failed = connection.run(ArtifactPusher.script(host),
                out -> ArtifactPusher.writeStream(out, deltas, "local1", TransferProgress.NONE));
        assertThat(failed.exitCode()).isEqualTo(4);
        assertThat(failed.lastErrorLine()).isEqualTo("store path " + v2.storePath()
                + ": linking unchanged files from " + v1.storePath() + " failed");
        assertThat(storePath(host, v2)).doesNotExist();
        try (Stream<Path> store = Files.list(Path.of(host.store()))) {
            assertThat(store.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".meta",
                    v1.storePath().toString());
        }

        TransferResult retried = ArtifactPusher.push(connection, host, List.of(v2), bases, TransferProgress.NONE);
        assertThat(retried.files()).isEqualTo(40);
        assertThat(retried.filesReused()).isZero();
        HostLayout reference = layout("reference");
        ArtifactPusher.push(connection, reference, List.of(v2), TransferProgress.NONE);
        assertThat(snapshot(storePath(host, v2))).isEqualTo(snapshot(storePath(reference, v2)));
        assertThat(base.resolve("assets/part0/file-3.txt")).doesNotExist();
    }

    @Test
    void aLinkedFileWhoseBaseContentWasTamperedWithFailsTheHashCheckAndNothingAppearsUnderTheFinalName()
            throws Exception {
        HostLayout host = layout("host");
        Artifact v1 = site("one\n");
        Artifact v2 = site("two\n");
        ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        Map<StorePath, BaseFetcher.Base> bases = bases(host, v2, v1);
        Path tampered = storePath(host, v1).resolve("assets/part2/file-5.txt");
        Files.setPosixFilePermissions(tampered, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(tampered, "not what the meta list says\n");

        assertThatThrownBy(() -> ArtifactPusher.push(connection, host, List.of(v2), bases, TransferProgress.NONE))
                .isInstanceOf(DeployException.class)
                .hasMessage("local1: transfer: store path " + v2.storePath() + ": content does not match its hash");
        assertThat(storePath(host, v2)).doesNotExist();
        assertThat(Path.of(host.store(), ".meta", v2.storePath().toString())).doesNotExist();
        try (Stream<Path> store = Files.list(Path.of(host.store()))) {
            assertThat(store.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".incoming-"));
        }
    }

    @Test
    void aBaseThatVanishedFallsBackToAFullSend() throws Exception {
        HostLayout host = layout("host");
        Artifact v1 = site("one\n");
        Artifact v2 = site("two\n");
        ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        Map<StorePath, BaseFetcher.Base> bases = bases(host, v2, v1);
        GarbageCollector.delete(connection, host, new GarbageCollector.Collection(List.of(), List.of(v1.storePath())));

        TransferResult result = ArtifactPusher.push(connection, host, List.of(v2), bases, TransferProgress.NONE);
        assertThat(result.files()).isEqualTo(40);
        assertThat(result.filesReused()).isZero();
        assertThat(Files.readString(storePath(host, v2).resolve("index.html"))).isEqualTo("two\n");
    }

    @Test
    void collectingTheBaseKeepsTheLinkedPathReadOnlyAndDropsTheBasesMetaList() throws Exception {
        HostLayout host = layout("host");
        Artifact v1 = site("one\n");
        Artifact v2 = site("two\n");
        ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        ArtifactPusher.push(connection, host, List.of(v2), bases(host, v2, v1), TransferProgress.NONE);
        Map<String, String> before = snapshot(storePath(host, v2));

        GarbageCollector.delete(connection, host, new GarbageCollector.Collection(List.of(), List.of(v1.storePath())));

        assertThat(storePath(host, v1)).doesNotExist();
        assertThat(Path.of(host.store(), ".meta", v1.storePath().toString())).doesNotExist();
        assertThat(snapshot(storePath(host, v2))).isEqualTo(before);
        assertThat(Files.getPosixFilePermissions(storePath(host, v2).resolve("assets/part1/file-4.txt")))
                .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
    }

    @Test
    void aHostWithoutMetaListsGivesNoBase() {
        HostLayout host = layout("host");
        Artifact v2 = site("two\n");
        assertThat(bases(host, v2, site("one\n"))).isEmpty();
    }
}
