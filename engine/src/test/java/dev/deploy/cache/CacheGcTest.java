package dev.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.store.Artifact;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CacheGcTest {

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final CacheKeys keys = new CacheKeys("pre/fix");
    private final Instant now = Instant.now();
    private final Instant longAgo = now.minus(Duration.ofDays(30));
    private final Instant cutoff = now.minus(Duration.ofDays(7));

    /** Puts {@code artifact} into the store as if uploaded at {@code when}. */
    private void uploadedAt(Artifact artifact, Instant when) {
        for (TreeEntry entry : artifact.tree().entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE) {
                store.putAt(keys.object(entry.sha256()), new byte[] {1, 2, 3}, when);
            }
        }
        store.putAt(keys.manifest(artifact.storePath()), PathManifest.of(artifact).toJson(), when);
    }

    private Set<String> objectsOf(Artifact artifact) {
        return PathManifest.of(artifact).objects().stream().map(keys::object).collect(Collectors.toSet());
    }

    /**
     * A venv's store path is named by its inputs (Artifact.deferred), so its manifest cannot hash to its name: gc
     * must still read it and keep its objects, not refuse the whole collection.
     */
    @Test
    void aLiveVenvNamedByItsInputsKeepsItsObjects() {
        Artifact built = CacheFixtures.site("venv-app-1.0", "venv\n");
        StorePath byInputs = new StorePath("a".repeat(32), "venv-app-1.0");
        Artifact venv = Artifact.deferred(byInputs, "venv", java.util.Optional.empty(),
                () -> new Artifact.Built(built.tree(), built.contents()));
        uploadedAt(venv, longAgo);

        CacheGc.Collection collection;
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            collection = CacheGc.collect(cache, Set.of(byInputs), cutoff, false);
        }

        assertThat(collection.manifests()).isEmpty();
        assertThat(collection.objects()).isEmpty();
        assertThat(store.objects.keySet()).containsAll(objectsOf(venv)).contains(keys.manifest(byInputs));
    }

    @Test
    void keepsWhatLiveGenerationsUseAndWhatIsRecentAndDeletesTheRest() {
        Artifact live = CacheFixtures.site("live", "live\n");
        Artifact old = CacheFixtures.site("old", "old\n");
        Artifact pushedByCi = CacheFixtures.site("ci", "ci\n");
        uploadedAt(old, longAgo);
        uploadedAt(live, longAgo); // shares 29 objects with old
        uploadedAt(pushedByCi, now);
        store.putAt(keys.object("f".repeat(64)), new byte[10], longAgo); // an orphan of a cut upload

        CacheGc.Collection collection;
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            collection = CacheGc.collect(cache, Set.of(live.storePath()), cutoff, false);
        }

        assertThat(collection.manifests()).containsExactly(keys.manifest(old.storePath()));
        String oldIndex = keys.object(CacheUploaderTest.entry(old, "index.html").sha256());
        assertThat(collection.objects()).containsExactlyInAnyOrder(oldIndex, keys.object("f".repeat(64)));
        assertThat(store.objects.keySet()).containsAll(objectsOf(live)).containsAll(objectsOf(pushedByCi))
                .contains(keys.manifest(live.storePath()), keys.manifest(pushedByCi.storePath()))
                .doesNotContain(oldIndex, keys.manifest(old.storePath()));
    }

    @Test
    void manifestsAreDeletedBeforeTheObjectsTheyName() {
        Artifact old = CacheFixtures.site("old", "old\n");
        uploadedAt(old, longAgo);
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            CacheGc.collect(cache, Set.of(), cutoff, false);
        }
        List<String> deletes = store.calls.stream().filter(c -> c.startsWith("DELETE ")).toList();
        assertThat(deletes).hasSize(31).first().isEqualTo("DELETE " + keys.manifest(old.storePath()));
        assertThat(store.objects).isEmpty();
    }

    @Test
    void aDryRunDeletesNothing() {
        uploadedAt(CacheFixtures.site("old", "old\n"), longAgo);
        CacheGc.Collection collection;
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            collection = CacheGc.collect(cache, Set.of(), cutoff, true);
        }
        assertThat(collection.objects()).hasSize(30);
        assertThat(store.count("DELETE")).isZero();
        assertThat(store.objects).hasSize(31);
    }

    @Test
    void aKeptManifestThatCannotBeReadStopsTheCollectionBeforeAnyDelete() {
        Artifact live = CacheFixtures.site("live", "live\n");
        uploadedAt(live, longAgo);
        uploadedAt(CacheFixtures.site("old", "old\n"), longAgo);
        store.putAt(keys.manifest(live.storePath()), "{\"format\": \"something else\"}".getBytes(StandardCharsets.UTF_8),
                longAgo);
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            assertThatThrownBy(() -> CacheGc.collect(cache, Set.of(live.storePath()), cutoff, false))
                    .isInstanceOf(ObjectStoreException.class).hasMessageContaining("nothing deleted");
        }
        assertThat(store.count("DELETE")).isZero();
    }

    /**
     * A kept manifest larger than any real one (a forged or damaged object; here valid JSON padded with blanks) is
     * not read into the controller's memory: the collection stops before anything is deleted.
     */
    @Test
    void aKeptManifestLargerThanTheLimitStopsTheCollectionBeforeAnyDelete() {
        Artifact live = CacheFixtures.site("live", "live\n");
        uploadedAt(live, longAgo);
        uploadedAt(CacheFixtures.site("old", "old\n"), longAgo);
        byte[] json = PathManifest.of(live).toJson();
        byte[] padded = java.util.Arrays.copyOf(json, CacheGc.MANIFEST_LIMIT + 1);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        store.putAt(keys.manifest(live.storePath()), padded, longAgo);
        try (BinaryCache cache = CacheFixtures.cache(store)) {
            assertThatThrownBy(() -> CacheGc.collect(cache, Set.of(live.storePath()), cutoff, false))
                    .isInstanceOf(ObjectStoreException.class).hasMessageContaining("larger than")
                    .hasMessageContaining("nothing deleted");
        }
        assertThat(store.count("DELETE")).isZero();
    }

    @Test
    void decideKeepsAnObjectAKeptManifestNamesHoweverOld() {
        String sha = "a".repeat(64);
        StorePath path = StorePath.parse("a".repeat(32) + "-x");
        CacheGc.Collection collection = CacheGc.decide(keys,
                List.of(new ObjectStore.Listed(keys.manifest(path), 10, longAgo)),
                List.of(new ObjectStore.Listed(keys.object(sha), 10, longAgo),
                        new ObjectStore.Listed("pre/fix/objects/not-an-object", 10, longAgo)),
                Set.of(path), Set.of(sha), cutoff);
        assertThat(collection.manifests()).isEmpty();
        assertThat(collection.objects()).isEmpty();
        assertThat(collection.objectsKept()).isEqualTo(2);
        assertThat(Map.of()).isEmpty();
    }
}
