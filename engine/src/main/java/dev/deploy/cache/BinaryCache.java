package dev.deploy.cache;

import dev.deploy.inventory.Inventory;
import dev.deploy.store.Artifact;
import java.io.Closeable;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The binary cache for one run of {@code deploy}: the inventory's {@link CacheConfig}, one object-store client and
 * one {@link CacheUploader} (opened on first use, so runs that fetch nothing never load the AWS SDK), a
 * {@link Substituter} per host, and what each host did ({@link CacheOutcome}) for the front end to render.
 */
public final class BinaryCache implements Closeable {

    private final CacheConfig config;
    private final Function<CacheSettings, ObjectStore> opener;
    private final Map<String, CacheOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Signed> signed = new ConcurrentHashMap<>();
    private ObjectStore store;
    private ExecutorService pool;
    private CacheUploader uploader;

    private BinaryCache(CacheConfig config, Function<CacheSettings, ObjectStore> opener) {
        this.config = config;
        this.opener = opener;
    }

    /** The cache {@code inventory} configures (none without a top-level {@code cache:}); input errors are thrown now. */
    public static BinaryCache of(Inventory inventory) {
        return new BinaryCache(CacheConfig.load(inventory), S3ObjectStore::open);
    }

    /** A cache on another object store (tests: an in-memory store). */
    public static BinaryCache of(CacheConfig config, Function<CacheSettings, ObjectStore> opener) {
        return new BinaryCache(config, opener);
    }

    public CacheConfig config() {
        return config;
    }

    public boolean configured() {
        return config.settings().isPresent();
    }

    /** @throws IllegalStateException when no cache is configured */
    public CacheSettings settings() {
        return config.settings().orElseThrow(() -> new IllegalStateException("no cache configured"));
    }

    /** How {@code host} gets the store paths it lacks: from the cache, or pushed when it has none or turns it off. */
    public Substituter substituter(String host) {
        if (!configured()) {
            return Substituter.NONE;
        }
        if (!config.enabledFor(host)) {
            return (connection, layout, missing, bases) -> {
                if (missing.isEmpty()) {
                    return Substitution.none(missing);
                }
                record(host, new CacheOutcome.FellBack(CacheOutcome.Reason.OFF, "cache: off for this host"));
                return Substitution.none(missing);
            };
        }
        return new CacheSubstituter(this);
    }

    /** How {@code host} used the cache in this run; empty when it had nothing to get or there is no cache. */
    public Optional<CacheOutcome> outcome(String host) {
        return Optional.ofNullable(outcomes.get(host));
    }

    /** What this run put into the cache; empty when it never touched the object store. */
    public synchronized Optional<CacheUploader.Report> uploaded() {
        return uploader == null ? Optional.empty() : Optional.of(uploader.report());
    }

    /** Puts {@code artifacts} into the cache (as {@code deploy push-cache} does); see {@link CacheUploader#ensure}. */
    public CacheUploader.Report push(List<Artifact> artifacts) {
        uploader().ensure(artifacts);
        return uploader().report();
    }

    /** The object store, opened on first use. */
    public synchronized ObjectStore store() {
        if (store == null) {
            store = opener.apply(settings());
        }
        return store;
    }

    public CacheKeys keys() {
        return new CacheKeys(settings().prefix());
    }

    synchronized CacheUploader uploader() {
        if (uploader == null) {
            AtomicInteger threads = new AtomicInteger();
            pool = Executors.newFixedThreadPool(CacheSettings.UPLOADS_IN_PARALLEL, task -> {
                Thread thread = new Thread(task, "cache-upload-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            uploader = new CacheUploader(store(), keys(), pool);
        }
        return uploader;
    }

    /** A presigned URL and when it was made ({@link System#nanoTime()}). */
    private record Signed(URI url, long at) {
    }

    /**
     * A GET URL for {@code key} that works for at least {@link CacheSettings#HOST_FETCH_DEADLINE} more: made once
     * and handed to every host of the run for {@link CacheSettings#URL_REUSE}.
     */
    URI presign(String key) {
        long now = System.nanoTime();
        Signed known = signed.get(key);
        if (known == null || now - known.at() > CacheSettings.URL_REUSE.toNanos()) {
            known = new Signed(store().presignGet(key, settings().urlLifetime()), now);
            signed.put(key, known);
        }
        return known.url();
    }

    void record(String host, CacheOutcome outcome) {
        outcomes.put(host, outcome);
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (store != null) {
            store.close();
        }
    }
}
