package dev.deploy.cache;

import dev.deploy.store.StorePath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Garbage collection of the cache. A manifest is kept when its store path is live (referenced by a generation still
 * on some host of the fleet) or when it was written after the cut-off ({@code --keep-days}: protects what CI pushed
 * but nobody deployed yet); every other manifest is deleted. An object is kept when a kept manifest names it or when
 * it was written after the cut-off; every other object is deleted. Manifests go first, so a manifest never outlives
 * an object it names even if the collection is cut short. A kept manifest that cannot be read stops the collection
 * before anything is deleted: what it protects is unknown.
 */
public final class CacheGc {

    /** The largest manifest read (a store path of about 150,000 entries); a larger one stops the collection. */
    static final int MANIFEST_LIMIT = 32 << 20;

    /**
     * What a collection deletes (or would, on a dry run) and keeps; bytes are compressed object bytes.
     */
    public record Collection(List<String> manifests, List<String> objects, long bytesFreed, int manifestsKept,
                             int objectsKept) {
    }

    private CacheGc() {
    }

    /**
     * Decides what to delete (pure).
     *
     * @param referenced the objects each kept manifest names
     */
    static Collection decide(CacheKeys keys, List<ObjectStore.Listed> manifests, List<ObjectStore.Listed> objects,
                             Set<StorePath> keptPaths, Set<String> referenced, Instant cutoff) {
        List<String> deleteManifests = new ArrayList<>();
        int manifestsKept = 0;
        for (ObjectStore.Listed manifest : manifests) {
            Optional<StorePath> path = keys.manifestPath(manifest.key());
            if (path.isPresent() && keptPaths.contains(path.get())) {
                manifestsKept++;
            } else {
                deleteManifests.add(manifest.key());
            }
        }
        List<String> deleteObjects = new ArrayList<>();
        long freed = 0;
        int objectsKept = 0;
        for (ObjectStore.Listed object : objects) {
            Optional<String> sha = keys.objectHash(object.key());
            boolean recent = object.lastModified() != null && object.lastModified().isAfter(cutoff);
            if (sha.isPresent() && !recent && !referenced.contains(sha.get())) {
                deleteObjects.add(object.key());
                freed += object.size();
            } else {
                objectsKept++;
            }
        }
        return new Collection(deleteManifests, deleteObjects, freed, manifestsKept, objectsKept);
    }

    /** Which manifests survive: live store paths, and any written after {@code cutoff}. */
    static Set<StorePath> keptPaths(CacheKeys keys, List<ObjectStore.Listed> manifests, Set<StorePath> live,
                                    Instant cutoff) {
        Set<StorePath> kept = new HashSet<>();
        for (ObjectStore.Listed manifest : manifests) {
            Optional<StorePath> path = keys.manifestPath(manifest.key());
            boolean recent = manifest.lastModified() != null && manifest.lastModified().isAfter(cutoff);
            if (path.isPresent() && (live.contains(path.get()) || recent)) {
                kept.add(path.get());
            }
        }
        return kept;
    }

    /**
     * Collects the cache of {@code cache}: lists it, reads the kept manifests, then deletes (unless {@code dryRun}).
     *
     * @param live   every store path a generation on a host of the fleet references
     * @param cutoff nothing written after it is deleted
     * @throws ObjectStoreException when a request fails or a kept manifest cannot be read (nothing deleted then,
     *                              if it happened before the deletes)
     */
    public static Collection collect(BinaryCache cache, Set<StorePath> live, Instant cutoff, boolean dryRun) {
        ObjectStore store = cache.store();
        CacheKeys keys = cache.keys();
        List<ObjectStore.Listed> manifests = store.list(keys.manifests());
        Set<StorePath> kept = keptPaths(keys, manifests, live, cutoff);
        Set<String> referenced = referenced(store, keys, kept);
        List<ObjectStore.Listed> objects = store.list(keys.objects());
        Collection collection = decide(keys, manifests, objects, kept, referenced, cutoff);
        if (!dryRun) {
            store.delete(collection.manifests());
            store.delete(collection.objects());
        }
        return collection;
    }

    private static Set<String> referenced(ObjectStore store, CacheKeys keys, Set<StorePath> kept) {
        Set<String> referenced = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(CacheSettings.UPLOADS_IN_PARALLEL);
        try {
            List<CompletableFuture<Void>> reads = new ArrayList<>();
            for (StorePath path : kept) {
                reads.add(CompletableFuture.runAsync(() -> {
                    String key = keys.manifest(path);
                    byte[] json;
                    try {
                        json = store.get(key, MANIFEST_LIMIT).orElseThrow(() -> new ObjectStoreException(
                                "manifest " + key + " vanished while the cache was collected; nothing deleted"));
                    } catch (ObjectStoreException e) {
                        throw e.getMessage().endsWith("nothing deleted") ? e
                                : new ObjectStoreException(e.getMessage() + "; nothing deleted", e);
                    }
                    try {
                        referenced.addAll(PathManifest.parse(json).objects());
                    } catch (IllegalArgumentException e) {
                        throw new ObjectStoreException("manifest " + key + " cannot be read (" + e.getMessage()
                                + "); nothing deleted", e);
                    }
                }, pool));
            }
            for (CompletableFuture<Void> read : reads) {
                try {
                    read.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof ObjectStoreException failure) {
                        throw failure;
                    }
                    throw new ObjectStoreException("reading manifests failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return referenced;
    }
}
