package dev.deploy.cli.json;

import java.util.List;

/**
 * {@code deploy cache gc --json}: the cache, whether nothing was deleted ({@code dryRun}), how many store paths the
 * fleet's generations use, the manifests (keys) and the number of objects deleted (or that would be), the bytes that
 * freed, and what was kept.
 */
public record CacheGcDocument(int format, String command, int exitCode, String cache, boolean dryRun,
                              int liveStorePaths, List<String> manifestsDeleted, int objectsDeleted, long bytesFreed,
                              int manifestsKept, int objectsKept) implements JsonDocument {

    public CacheGcDocument(int exitCode, String cache, boolean dryRun, int liveStorePaths,
                           List<String> manifestsDeleted, int objectsDeleted, long bytesFreed, int manifestsKept,
                           int objectsKept) {
        this(FORMAT, "cache gc", exitCode, cache, dryRun, liveStorePaths, manifestsDeleted, objectsDeleted,
                bytesFreed, manifestsKept, objectsKept);
    }
}
