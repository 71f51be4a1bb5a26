package dev.deploy.cli.json;

import java.util.List;

/**
 * {@code deploy push-cache --json}: the cache ({@code s3://BUCKET/PREFIX at ENDPOINT}), how many distinct store paths
 * the selected hosts have, what was uploaded and found there ({@link CacheJson.Upload}'s fields), and the hosts whose
 * store paths could not be evaluated.
 */
public record PushCacheDocument(int format, String command, int exitCode, String cache, int storePaths,
                                int storePathsUploaded, int storePathsPresent, int objectsUploaded, int objectsPresent,
                                long bytesUploaded, long contentBytesUploaded, List<String> failedHosts)
        implements JsonDocument {

    public PushCacheDocument(int exitCode, String cache, int storePaths, CacheJson.Upload upload,
                             List<String> failedHosts) {
        this(FORMAT, "push-cache", exitCode, cache, storePaths, upload.storePathsUploaded(),
                upload.storePathsPresent(), upload.objectsUploaded(), upload.objectsPresent(), upload.bytesUploaded(),
                upload.contentBytesUploaded(), failedHosts);
    }
}
