package dev.deploy.cache;

import dev.deploy.store.StorePath;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The layout of the cache under its bucket and prefix:
 * <pre>
 * PREFIX/objects/SHA256.zst          one file content, zstd-compressed; SHA256 (hex) of the uncompressed bytes
 * PREFIX/manifests/HASH-NAME.json    one store path: its entries (see {@link PathManifest})
 * </pre>
 * A manifest is written only after every object it names, so its presence means the store path is complete.
 */
public record CacheKeys(String prefix) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String OBJECTS = "objects/";
    private static final String MANIFESTS = "manifests/";

    public String object(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return objects() + sha256 + ".zst";
    }

    public String manifest(StorePath path) {
        return manifests() + path + ".json";
    }

    /** The prefix every object key starts with. */
    public String objects() {
        return root() + OBJECTS;
    }

    /** The prefix every manifest key starts with. */
    public String manifests() {
        return root() + MANIFESTS;
    }

    /** The SHA-256 an object key names; empty for any other key. */
    public Optional<String> objectHash(String key) {
        if (!key.startsWith(objects()) || !key.endsWith(".zst")) {
            return Optional.empty();
        }
        String sha = key.substring(objects().length(), key.length() - ".zst".length());
        return SHA256.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
    }

    /** The store path a manifest key names; empty for any other key. */
    public Optional<StorePath> manifestPath(String key) {
        if (!key.startsWith(manifests()) || !key.endsWith(".json")) {
            return Optional.empty();
        }
        String name = key.substring(manifests().length(), key.length() - ".json".length());
        return StorePath.isValid(name) ? Optional.of(StorePath.parse(name)) : Optional.empty();
    }

    private String root() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }
}
