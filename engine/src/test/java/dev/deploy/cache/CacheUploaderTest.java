package dev.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import dev.deploy.store.Artifact;
import dev.deploy.store.Contents;
import dev.deploy.store.TreeEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CacheUploaderTest {

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final CacheKeys keys = new CacheKeys("pre/fix");

    @Test
    void hostsNeedingTheSamePathsAtOnceUploadEachObjectAndManifestOnce() {
        Artifact a = CacheFixtures.site("a", "A\n");
        Artifact b = CacheFixtures.site("b", "B\n"); // shares 29 of 30 contents with a
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> hosts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                List<Artifact> needs = i % 2 == 0 ? List.of(a, b) : List.of(b, a);
                hosts.add(CompletableFuture.runAsync(() -> {
                    await(start);
                    cache.uploader().ensure(needs);
                }));
            }
            start.countDown();
            hosts.forEach(CompletableFuture::join);
            CacheUploader.Report report = cache.uploaded().orElseThrow();
            assertThat(report.objectsUploaded()).isEqualTo(31);
            assertThat(report.pathsUploaded()).isEqualTo(2);
        }
        assertThat(store.count("PUT " + keys.objects())).isEqualTo(31);
        assertThat(store.count("PUT " + keys.manifest(a.storePath()))).isEqualTo(1);
        assertThat(store.count("PUT " + keys.manifest(b.storePath()))).isEqualTo(1);
        for (TreeEntry entry : a.tree().entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE) {
                assertThat(store.count("PUT " + keys.object(entry.sha256()))).as(entry.path()).isEqualTo(1);
            }
        }
    }

    /**
     * The objects of a store path go up {@value CacheSettings#UPLOADS_IN_PARALLEL} at a time: every PUT is held until
     * that many are in flight at once (a serial uploader would hold the first one for ever; the wait is bounded so
     * that such a failure ends the test instead of hanging it).
     */
    @Test
    void theObjectsOfAStorePathAreUploadedSeveralAtATime() throws Exception {
        Artifact a = CacheFixtures.site("a", "A\n"); // 30 distinct contents
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        store.hangPuts = release;
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> cache.uploader().ensure(List.of(a)));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (store.putsInFlight.get() < CacheSettings.UPLOADS_IN_PARALLEL && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int atOnce = store.putsInFlight.get();
            release.countDown();
            upload.join();
            assertThat(atOnce).isEqualTo(CacheSettings.UPLOADS_IN_PARALLEL);
        }
        assertThat(store.mostPutsInFlight.get()).isEqualTo(CacheSettings.UPLOADS_IN_PARALLEL);
        assertThat(store.count("PUT " + keys.objects())).isEqualTo(30);
    }

    /**
     * A cache that fails one request and hangs on the others (each would end only at the SDK's 3-minute call
     * deadline): the store path fails with the first failure instead of waiting for every hung upload, and a later
     * store path of the same run fails at once, without a request queued behind the hung ones.
     */
    @Test
    void theFirstFailedRequestFailsThePathAtOnceAndEndsTheRunsUseOfTheCache() throws Exception {
        Artifact a = CacheFixtures.site("a", "A\n");
        Artifact other = new dev.deploy.store.MemoryTree().file("x.txt", "other\n", false).toArtifact("other", "test");
        store.failPuts.set(1);
        CountDownLatch release = new CountDownLatch(1);
        store.hangPuts = release;
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(
                    () -> org.assertj.core.api.Assertions.catchThrowable(() -> cache.uploader().ensure(List.of(a))));
            // a guard against hanging the build, not a timing assertion: the old uploader waited for every upload
            Throwable failure = first.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(CacheUploader.UploadFailed.class).hasMessageContaining("injected failure");

            assertThatThrownBy(() -> cache.uploader().ensure(List.of(other)))
                    .isInstanceOf(CacheUploader.UploadFailed.class).hasMessageContaining("injected failure");
            assertThat(store.count("HEAD " + keys.manifest(other.storePath()))).isZero();
        } finally {
            release.countDown();
        }
    }

    /** Bigger contents go through a temporary file (the launcher caps the heap at 256 MiB) and read back the same. */
    @Test
    void aFileBiggerThanTheInMemoryLimitIsUploadedThroughATemporaryFileIntact() {
        byte[] random = new byte[(int) ObjectCompression.IN_MEMORY_LIMIT * 2];
        new java.util.Random(7).nextBytes(random);
        String text = java.util.HexFormat.of().formatHex(random);
        Artifact a = new dev.deploy.store.MemoryTree().file("big.txt", text, false).toArtifact("big", "test");
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            cache.uploader().ensure(List.of(a));
        }
        TreeEntry big = entry(a, "big.txt");
        byte[] object = store.objects.get(keys.object(big.sha256())).bytes();
        assertThat(Zstd.decompress(object, text.length())).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void objectsAlreadyThereAreSkippedAndTheManifestIsWrittenLast() {
        Artifact a = CacheFixtures.site("a", "A\n");
        TreeEntry index = entry(a, "index.html");
        store.putAt(keys.object(index.sha256()), Zstd.compress("A\n".getBytes()), Instant.now());
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            cache.uploader().ensure(List.of(a));
            assertThat(cache.uploaded().orElseThrow().objectsPresent()).isEqualTo(1);
        }
        assertThat(store.count("PUT " + keys.object(index.sha256()))).isZero();
        assertThat(store.calls.get(store.calls.size() - 1)).isEqualTo("PUT " + keys.manifest(a.storePath()));
        assertThat(PathManifest.parse(store.objects.get(keys.manifest(a.storePath())).bytes()).storePath())
                .isEqualTo(a.storePath());
    }

    @Test
    void objectsAreCheckedAgainstOneListingOrOneByOneWhenTheCacheIsTooBigToList() {
        Artifact a = CacheFixtures.site("a", "A\n");
        Artifact b = CacheFixtures.site("b", "B\n");
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            cache.uploader().ensure(List.of(a));
            cache.uploader().ensure(List.of(b));
        }
        assertThat(store.count("LIST")).isEqualTo(1);
        assertThat(store.count("HEAD " + keys.objects())).isZero();

        Artifact c = CacheFixtures.site("c", "C\n");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            new CacheUploader(store, keys, pool, 10).ensure(List.of(c)); // 31 objects stored: more than 10
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.count("HEAD " + keys.objects())).isEqualTo(30);
        assertThat(store.count("PUT " + keys.objects())).isEqualTo(32);
    }

    @Test
    void aPathWhoseManifestIsThereCostsOneRequest() {
        Artifact a = CacheFixtures.site("a", "A\n");
        store.putAt(keys.manifest(a.storePath()), PathManifest.of(a).toJson(), Instant.now());
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            cache.uploader().ensure(List.of(a));
        }
        assertThat(store.calls).containsExactly("HEAD " + keys.manifest(a.storePath()));
    }

    @Test
    void aCutUploadLeavesNoManifestAndTheNextRunUploadsOnlyWhatIsMissing() {
        Artifact a = CacheFixtures.site("a", "A\n");
        store.failPuts.set(1);
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            assertThatThrownBy(() -> cache.uploader().ensure(List.of(a)))
                    .isInstanceOf(CacheUploader.UploadFailed.class).hasMessageContaining("injected failure");
        }
        assertThat(store.objects).doesNotContainKey(keys.manifest(a.storePath()));
        // the objects whose PUT ended before the failure (the failure ends the run's uploads): not the failed one
        int before = (int) store.objects.keySet().stream().filter(k -> k.startsWith(keys.objects())).count();
        assertThat(before).isLessThan(30);

        try (BinaryCache cache = CacheFixtures.cache(store)) {
            cache.uploader().ensure(List.of(a));
            assertThat(cache.uploaded().orElseThrow().objectsUploaded()).isEqualTo(30 - before);
            assertThat(cache.uploaded().orElseThrow().objectsPresent()).isEqualTo(before);
        }
        assertThat(store.objects).containsKey(keys.manifest(a.storePath()));
    }

    @Test
    void aFileChangedSinceItWasHashedIsNeverUploadedUnderTheOldHash() {
        Artifact a = CacheFixtures.site("a", "A\n");
        Contents edited = entry -> entry.path().equals("index.html")
                ? new ByteArrayInputStream("B\n".getBytes(StandardCharsets.UTF_8)) : a.contents().open(entry);
        Artifact changed = new Artifact(a.storePath(), a.tree(), edited, a.origin());
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            assertThatThrownBy(() -> cache.uploader().ensure(List.of(changed)))
                    .isInstanceOf(CacheUploader.UploadFailed.class)
                    .hasMessageContaining("index.html changed since it was hashed");
        }
        assertThat(store.objects).doesNotContainKey(keys.object(entry(a, "index.html").sha256()))
                .doesNotContainKey(keys.manifest(a.storePath()));
    }

    @Test
    void storedObjectsAreTheZstdCompressedContent() {
        Artifact a = CacheFixtures.site("a", "A\n");
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            cache.uploader().ensure(List.of(a));
        }
        byte[] stored = store.objects.get(keys.object(entry(a, "bin/run").sha256())).bytes();
        assertThat(new String(Zstd.decompress(stored, 1000), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\necho hi\n");
    }

    static TreeEntry entry(Artifact artifact, String path) {
        return artifact.tree().entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
