package dev.deploy.cache;

import java.io.Closeable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The few object-store operations the binary cache needs, by key under one bucket. {@link S3ObjectStore} is the
 * implementation (AWS SDK for Java v2: any S3-compatible server). Every call has a deadline; failures are
 * {@link ObjectStoreException}s with a one-line message.
 */
public interface ObjectStore extends Closeable {

    /** An object as a listing shows it: key, size in bytes, last modification. */
    record Listed(String key, long size, Instant lastModified) {
    }

    /** Whether {@code key} exists (one HEAD request). */
    boolean exists(String key);

    /** Stores {@code bytes} under {@code key}, replacing what was there. */
    void put(String key, byte[] bytes);

    /** Stores the file's bytes under {@code key}, replacing what was there. */
    void put(String key, Path file);

    /**
     * The object's bytes, or empty when there is no such key; never reads more than {@code limit} + 1 bytes.
     *
     * @throws ObjectStoreException also when the object is larger than {@code limit} bytes
     */
    Optional<byte[]> get(String key, int limit);

    /** Every object whose key starts with {@code prefix}, page by page. */
    List<Listed> list(String prefix);

    /** Every object whose key starts with {@code prefix}, or empty when there are more than {@code limit}. */
    Optional<List<Listed>> list(String prefix, int limit);

    /** Deletes {@code keys} (in batches); deleting a missing key is not an error. */
    void delete(Collection<String> keys);

    /** A URL anyone may GET {@code key} with, until {@code lifetime} has passed; made locally, no request. */
    URI presignGet(String key, Duration lifetime);

    /** Where the objects are, for messages ({@code s3://bucket/prefix at endpoint}). */
    String describe();

    @Override
    void close();
}
