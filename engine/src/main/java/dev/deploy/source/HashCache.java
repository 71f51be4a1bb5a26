package dev.deploy.source;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Where the SHA-256s of source files persist between runs ({@code <cache root>/hashes/}): for {@code path:} sources
 * one file per directory and exclude list, so that an unchanged tree is walked and stat-ed but not re-read (see
 * {@link TreeHashes} for when a cached hash is trusted); for {@code git:} sources one file per repository, keyed by
 * blob id ({@link BlobHashes}).
 */
public final class HashCache {

    private static final HashCache DISABLED = new HashCache(null, HashCache::wallClockNanos);

    private final Path dir;
    private final LongSupplier clockNanos;

    /** A cache in {@code dir} (created when first written). */
    public HashCache(Path dir) {
        this(dir, HashCache::wallClockNanos);
    }

    /** {@code clockNanos}: nanoseconds since the epoch, on the clock file timestamps are taken from. */
    HashCache(Path dir, LongSupplier clockNanos) {
        this.dir = dir;
        this.clockNanos = clockNanos;
    }

    /** No cache: every file is read and hashed. */
    public static HashCache disabled() {
        return DISABLED;
    }

    /** The cached hashes of one source, read now; the scan that uses them must start after this call. */
    TreeHashes open(Path root, List<String> excludes) {
        long scanStart = clockNanos.getAsLong();
        if (dir == null) {
            return TreeHashes.none(scanStart);
        }
        String key = NativePaths.text(root.toAbsolutePath().normalize()) + "\n" + String.join("\n", excludes);
        String name = DigestUtils.sha256Hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
        return TreeHashes.load(dir, dir.resolve(name), key, scanStart);
    }

    /** The cached blob hashes of the git repository {@code repository} (its directory or URL). */
    BlobHashes blobs(String repository) {
        if (dir == null) {
            return BlobHashes.none();
        }
        String key = "git\n" + repository;
        String name = "git-" + DigestUtils.sha256Hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
        return BlobHashes.load(dir, dir.resolve(name), key);
    }

    private static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
