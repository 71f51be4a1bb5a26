package dev.deploy.cache;

/**
 * How one host got the store paths it lacked in an apply that has a binary cache: a closed set that front ends
 * render ({@code web1: cache: ...} and {@code --json}'s {@code cache} field).
 */
public sealed interface CacheOutcome {

    /**
     * The host fetched {@code objects} objects ({@code compressedBytes} from the object store, {@code contentBytes}
     * once decompressed) for {@code storePaths} store paths; {@code filesLinked} files came from earlier versions of
     * those paths already on the host.
     */
    record Substituted(int storePaths, int objects, long compressedBytes, long contentBytes, int filesLinked)
            implements CacheOutcome {
    }

    /** Every file the host lacked is already on it in an earlier version (hard links): nothing to fetch. */
    record NothingToFetch(int storePaths, int filesLinked) implements CacheOutcome {
    }

    /** The host got everything by the SSH push instead, for {@code reason}; {@code detail} says what happened. */
    record FellBack(Reason reason, String detail) implements CacheOutcome {
    }

    /** Why a host fell back to the SSH push. */
    enum Reason {
        /** {@code cache: off} for the host or one of its groups. */
        OFF,
        /** The controller could not put the store paths into the cache (object store unreachable, credentials). */
        UPLOAD_FAILED,
        /** The host has no curl/python3 to fetch or no zstd/libzstd to decompress. */
        NO_TOOLS,
        /** The host could not fetch the probe object: it cannot reach the object store. */
        UNREACHABLE,
        /** Objects could not be fetched (missing in the bucket, expired URL, network); the controller put them again. */
        OBJECTS_MISSING,
        /** Objects did not decompress or did not match their SHA-256; the controller put them again. */
        OBJECTS_CORRUPT
    }
}
