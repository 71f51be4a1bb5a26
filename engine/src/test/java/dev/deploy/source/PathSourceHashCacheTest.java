package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathSourceHashCacheTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path tmp;

    private Path source;
    private Path cacheDir;
    private final List<Path> opened = new ArrayList<>();

    @BeforeEach
    void tree() throws IOException {
        source = Files.createDirectories(tmp.resolve("src"));
        cacheDir = tmp.resolve("cache/hashes");
        Files.createDirectories(source.resolve("pkg/sub"));
        Files.writeString(source.resolve("app.py"), "print('hi')\n");
        Files.writeString(source.resolve("pkg/a.py"), "a = 1\n");
        Files.writeString(source.resolve("pkg/sub/b.txt"), "bbbb\n");
        Files.createSymbolicLink(source.resolve("link"), Path.of("pkg"));
    }

    /** Reads the source through a cache whose clock says {@code clockNanos}, counting the files opened. */
    private Tree read(long clockNanos) {
        HashCache cache = new HashCache(cacheDir, () -> clockNanos);
        return PathSourceReader.read(new SourceSpec.PathSource(source, List.of(), null), cache, file -> {
            opened.add(file);
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        }).tree();
    }

    private Tree uncached() {
        return PathSourceReader.read(new SourceSpec.PathSource(source, List.of(), null)).tree();
    }

    /** A clock well past the racy margin of files written now. */
    private static long later() {
        return nanos(Instant.now()) + 10 * SECOND;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * SECOND + instant.getNano();
    }

    private Path cacheFile() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    @Test
    void anUnchangedTreeIsNotReadAgain() {
        Tree first = read(later());
        assertThat(opened).hasSize(3);
        opened.clear();

        Tree second = read(later());

        assertThat(opened).isEmpty();
        assertThat(second.hash()).isEqualTo(first.hash()).isEqualTo(uncached().hash());
        assertThat(second.entries()).isEqualTo(first.entries());
    }

    @Test
    void onlyTheChangedFileIsReadAgain() throws IOException {
        read(later());
        opened.clear();
        Files.writeString(source.resolve("pkg/a.py"), "a = 2 + 2\n");

        Tree tree = read(later());

        assertThat(opened).containsExactly(source.resolve("pkg/a.py"));
        assertThat(tree.hash()).isEqualTo(uncached().hash());
    }

    @Test
    void aSameSizeChangeWithTheMtimeRestoredIsSeenWhileTheFileIsRacy() throws IOException {
        Path file = source.resolve("pkg/sub/b.txt");
        FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(file, anHourAgo);
        read(nanos(Instant.now()));
        Files.writeString(file, "cccc\n");
        Files.setLastModifiedTime(file, anHourAgo);

        Tree tree = read(nanos(Instant.now()));

        assertThat(entry(tree, "pkg/sub/b.txt").sha256()).isEqualTo(entry(uncached(), "pkg/sub/b.txt").sha256());
        assertThat(tree.hash()).isEqualTo(uncached().hash());
    }

    @Test
    void aHashWhoseFileWasRacyWhenHashedIsNotTrustedEvenWithAnIdenticalStat() throws IOException {
        Path file = source.resolve("app.py");
        FileStat stat = FileStat.of(file);
        long scanStart = stat.changedNanos() + SECOND;  // within the margin: the file may change in the same tick
        TreeHashes racy = TreeHashes.load(cacheDir, cacheDir.resolve("t"), "key", scanStart);
        racy.put("app.py", stat, false, "00".repeat(32));
        racy.save();
        assertThat(TreeHashes.load(cacheDir, cacheDir.resolve("t"), "key", scanStart + SECOND)
                .lookup("app.py", stat)).isNull();

        TreeHashes settled = TreeHashes.load(cacheDir, cacheDir.resolve("t"), "key", stat.changedNanos() + 3 * SECOND);
        settled.put("app.py", stat, false, "00".repeat(32));
        settled.save();
        assertThat(TreeHashes.load(cacheDir, cacheDir.resolve("t"), "key", scanStart + 3 * SECOND)
                .lookup("app.py", stat)).isNotNull();
    }

    @Test
    void aRacyFileIsReadAgainOnceAndTrustedAfterwards() {
        read(nanos(Instant.now()));
        opened.clear();
        read(later());
        assertThat(opened).hasSize(3);
        opened.clear();

        read(later());

        assertThat(opened).isEmpty();
    }

    @Test
    void aCorruptCacheIsIgnoredAndRewritten() throws IOException {
        Tree first = read(later());
        Path cache = cacheFile();
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(cache, bytes);
        opened.clear();

        Tree second = read(later());

        assertThat(second.hash()).isEqualTo(first.hash());
        assertThat(opened).hasSize(3);
        opened.clear();
        read(later());
        assertThat(opened).isEmpty();
    }

    @Test
    void aTruncatedOrForeignCacheIsIgnored() throws IOException {
        Tree first = read(later());
        Path cache = cacheFile();
        byte[] bytes = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(bytes, bytes.length - 9));
        assertThat(read(later()).hash()).isEqualTo(first.hash());
        Files.writeString(cache, "not a cache");
        assertThat(read(later()).hash()).isEqualTo(first.hash());
    }

    @Test
    void aCacheThatCannotBeWrittenIsNoError() throws IOException {
        Files.createDirectories(cacheDir.getParent());
        Files.writeString(cacheDir, "a file where the cache directory should be");

        Tree tree = read(later());

        assertThat(tree.hash()).isEqualTo(uncached().hash());
    }

    @Test
    void anExecutableBitChangeIsSeen() throws IOException {
        read(later());
        Files.setPosixFilePermissions(source.resolve("app.py"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        Tree tree = read(later());

        assertThat(entry(tree, "app.py").executable()).isTrue();
        assertThat(tree.hash()).isEqualTo(uncached().hash());
    }

    @Test
    void concurrentRunsLeaveAValidCache() throws Exception {
        String expected = uncached().hash();
        List<Thread> runs = new ArrayList<>();
        List<String> hashes = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread run = new Thread(() -> {
                for (int j = 0; j < 20; j++) {
                    // the real clock: every file is racy, so every read rewrites the cache file
                    HashCache cache = new HashCache(cacheDir, () -> nanos(Instant.now()));
                    hashes.add(PathSourceReader.read(new SourceSpec.PathSource(source, List.of(), null), cache)
                            .tree().hash());
                }
            });
            runs.add(run);
            run.start();
        }
        for (Thread run : runs) {
            run.join();
        }

        assertThat(hashes).hasSize(80).containsOnly(expected);
        assertThat(CacheFile.read(cacheFile())).isNotEmpty();  // one file (no temporary left), its CRC intact
        read(later());
        opened.clear();
        assertThat(read(later()).hash()).isEqualTo(expected);
        assertThat(opened).isEmpty();
    }

    private static TreeEntry entry(Tree tree, String path) {
        return tree.entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }
}
