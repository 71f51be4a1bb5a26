package dev.deploy.plan;

import dev.deploy.store.StorePath;
import java.util.Map;

/**
 * What a host told about the store paths a plan replaces, read in the round trip the delta transfer makes anyway:
 * the checksum list it kept for each ({@code STATE/store/.meta/PATH}: files by relative path) and the text of
 * single-file store paths (units, rendered files) that are not secret; {@code others} holds the same lists'
 * directories ({@code "d"}) and symlinks ({@code "l TARGET"}) by relative path. A path absent from a map was not
 * asked for or the host had nothing usable.
 */
public record PreviousVersions(Map<StorePath, Map<String, FileSum>> files,
                               Map<StorePath, Map<String, String>> others, Map<StorePath, byte[]> texts) {

    public static final PreviousVersions NONE = new PreviousVersions(Map.of(), Map.of(), Map.of());

    public PreviousVersions {
        files = Map.copyOf(files);
        others = Map.copyOf(others);
        texts = Map.copyOf(texts);
    }

    /** Checksum lists and texts; no directories or symlinks known. */
    public PreviousVersions(Map<StorePath, Map<String, FileSum>> files, Map<StorePath, byte[]> texts) {
        this(files, Map.of(), texts);
    }

    /** A file as a checksum list records it: SHA-256 (hex) and executable bit. */
    public record FileSum(String sha256, boolean executable) {
    }
}
