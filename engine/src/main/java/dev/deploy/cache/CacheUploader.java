package dev.deploy.cache;

import dev.deploy.store.Artifact;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts store paths into the cache once per run, for whichever host needs them first: each store path and each
 * object is claimed by one caller and everyone else waits for that same upload. Per store path: HEAD its manifest
 * (present: done, a manifest is only written after its objects); else check each object it needs and PUT the
 * missing ones ({@link ObjectCompression}), {@value CacheSettings#UPLOADS_IN_PARALLEL} at a time, then PUT the
 * manifest. An object is checked against one listing of {@code objects/} made the first time a run needs one, when
 * the cache holds at most {@value #LISTING_LIMIT} objects (a few LIST requests instead of a HEAD per object), else
 * with a HEAD. A cut run leaves whole objects only, and the next run skips them: uploads resume.
 *
 * <p>Pool tasks never wait for other pool tasks (they are chained), so a small pool cannot deadlock; only the
 * callers of {@link #ensure} block. A store path fails as soon as one of its requests fails (not once its other
 * uploads ended), and the first failed request ends this run's use of the object store: every later request fails at
 * once without being sent, so a cache that hangs costs the run one request's deadline
 * ({@link S3ObjectStore#CALL_TIMEOUT}), not one per object queued behind it, before the hosts fall back to the push.
 */
public final class CacheUploader {

    /** What this run put into the cache so far (or found there). Bytes are compressed bytes sent. */
    public record Report(int pathsUploaded, int pathsPresent, int objectsUploaded, int objectsPresent,
                         long bytesUploaded, long contentBytesUploaded) {
    }

    /** An upload failed; the message is one line (which key, why). */
    public static final class UploadFailed extends RuntimeException {
        UploadFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Largest cache whose object keys are listed instead of checked one by one (10 LIST pages). */
    static final int LISTING_LIMIT = 10_000;

    private final ObjectStore store;
    private final CacheKeys keys;
    private final int listingLimit;
    private Optional<Set<String>> listing;
    private final ExecutorService pool;
    private final ConcurrentMap<StorePath, CompletableFuture<Void>> paths = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<Void>> objects = new ConcurrentHashMap<>();
    private final Set<String> repaired = ConcurrentHashMap.newKeySet();
    /** The first request that failed in this run; once set, nothing more is sent. */
    private volatile ObjectStoreException broken;
    private final AtomicInteger pathsUploaded = new AtomicInteger();
    private final AtomicInteger pathsPresent = new AtomicInteger();
    private final AtomicInteger objectsUploaded = new AtomicInteger();
    private final AtomicInteger objectsPresent = new AtomicInteger();
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong contentBytesUploaded = new AtomicLong();

    CacheUploader(ObjectStore store, CacheKeys keys, ExecutorService pool) {
        this(store, keys, pool, LISTING_LIMIT);
    }

    CacheUploader(ObjectStore store, CacheKeys keys, ExecutorService pool, int listingLimit) {
        this.store = store;
        this.keys = keys;
        this.pool = pool;
        this.listingLimit = listingLimit;
    }

    /**
     * Returns once every artifact's objects and manifest are in the cache.
     *
     * @throws UploadFailed when a request failed or a file changed since it was hashed
     */
    public void ensure(List<Artifact> artifacts) {
        Map<StorePath, Artifact> distinct = new LinkedHashMap<>();
        artifacts.forEach(a -> distinct.putIfAbsent(a.storePath(), a));
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (Artifact artifact : distinct.values()) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> claimed = paths.putIfAbsent(artifact.storePath(), mine);
            if (claimed != null) {
                waits.add(claimed);
                continue;
            }
            waits.add(mine);
            ObjectStoreException failedBefore = broken;
            if (failedBefore != null) {
                mine.completeExceptionally(failedBefore); // not queued behind requests that hang
                continue;
            }
            CompletableFuture.supplyAsync(() -> request(() -> store.exists(keys.manifest(artifact.storePath()))), pool)
                    .thenCompose(present -> present ? present(artifact) : upload(artifact))
                    .whenComplete((done, failure) -> {
                        if (failure != null) {
                            mine.completeExceptionally(failure);
                        } else {
                            mine.complete(null);
                        }
                    });
        }
        for (CompletableFuture<Void> wait : waits) {
            try {
                wait.join();
            } catch (CompletionException e) {
                throw failed(e.getCause() == null ? e : e.getCause());
            }
        }
    }

    /**
     * Uploads again the objects of {@code artifact} named in {@code hashes} (hosts found them missing or corrupt),
     * each at most once per run. Best effort: returns how many could not be replaced.
     */
    public int repair(Artifact artifact, Set<String> hashes) {
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int failed = 0;
        for (TreeEntry entry : artifact.tree().entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE && hashes.contains(entry.sha256()) && seen.add(entry.sha256())) {
                if (broken != null) {
                    failed++; // the object store failed earlier in this run: nothing more is sent
                } else if (repaired.add(entry.sha256())) {
                    puts.add(CompletableFuture.runAsync(() -> put(artifact, entry), pool));
                }
            }
        }
        for (CompletableFuture<Void> put : puts) {
            try {
                put.join();
            } catch (CompletionException e) {
                failed++;
            }
        }
        return failed;
    }

    /** Totals of this run. */
    public Report report() {
        return new Report(pathsUploaded.get(), pathsPresent.get(), objectsUploaded.get(), objectsPresent.get(),
                bytesUploaded.get(), contentBytesUploaded.get());
    }

    private CompletableFuture<Void> present(Artifact artifact) {
        pathsPresent.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> upload(Artifact artifact) {
        List<CompletableFuture<Void>> needed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        for (TreeEntry entry : artifact.tree().entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE && seen.add(entry.sha256())) {
                CompletableFuture<Void> object = objects.computeIfAbsent(entry.sha256(),
                        sha -> CompletableFuture.runAsync(() -> object(artifact, entry), pool));
                object.whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        done.completeExceptionally(failure); // at once, not after the path's other uploads
                    }
                });
                needed.add(object);
            }
        }
        CompletableFuture.allOf(needed.toArray(CompletableFuture[]::new)).thenRunAsync(() -> request(() -> {
            store.put(keys.manifest(artifact.storePath()), PathManifest.of(artifact).toJson());
            return null;
        }), pool).whenComplete((ignored, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                pathsUploaded.incrementAndGet();
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Sends one request unless an earlier one of this run failed; a failure of the object store is remembered, so
     * that nothing more is sent.
     */
    private <T> T request(java.util.function.Supplier<T> call) {
        ObjectStoreException failedBefore = broken;
        if (failedBefore != null) {
            throw failedBefore;
        }
        try {
            return call.get();
        } catch (ObjectStoreException e) {
            if (broken == null) {
                broken = e;
            }
            throw e;
        }
    }

    private void object(Artifact artifact, TreeEntry entry) {
        String key = keys.object(entry.sha256());
        Optional<Set<String>> listed = listing();
        if (listed.isPresent() ? listed.get().contains(key) : request(() -> store.exists(key))) {
            objectsPresent.incrementAndGet();
            return;
        }
        put(artifact, entry);
    }

    /** The object keys of the cache, listed once per run; empty when the cache is too big to list. */
    private synchronized Optional<Set<String>> listing() {
        if (listing == null) {
            listing = request(() -> store.list(keys.objects(), listingLimit))
                    .map(all -> all.stream().map(ObjectStore.Listed::key).collect(Collectors.toUnmodifiableSet()));
        }
        return listing;
    }

    private void put(Artifact artifact, TreeEntry entry) {
        String key = keys.object(entry.sha256());
        try (ObjectCompression.Compressed compressed = ObjectCompression.compress(artifact, entry)) {
            request(() -> {
                if (compressed.file() != null) {
                    store.put(key, compressed.file());
                } else {
                    store.put(key, compressed.bytes());
                }
                return null;
            });
            objectsUploaded.incrementAndGet();
            bytesUploaded.addAndGet(compressed.size());
            contentBytesUploaded.addAndGet(entry.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UploadFailed failed(Throwable cause) {
        Throwable root = cause instanceof UncheckedIOException io ? io.getCause() : cause;
        String message = root instanceof ObjectCompression.ContentChanged || root instanceof ObjectStoreException
                ? root.getMessage()
                : "uploading to the cache failed: " + root;
        return new UploadFailed(message, root);
    }
}
