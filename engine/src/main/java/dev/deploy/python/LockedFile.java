package dev.deploy.python;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One downloadable file of a locked package (its sdist or one of its wheels).
 *
 * @param location the URL, or for local sources the path, or for flat indexes just the file name
 * @param hash     the content hash; uv omits it only for local files
 * @param size     the size in bytes, when the lock records it
 */
public record LockedFile(String location, Optional<FileHash> hash, OptionalLong size) {

    /** The last path segment of {@link #location()}, without query or fragment. */
    public String fileName() {
        String path = location;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    private static int indexOfAny(String text, char a, char b) {
        int first = text.indexOf(a);
        int second = text.indexOf(b);
        if (first < 0) {
            return second;
        }
        return second < 0 ? first : Math.min(first, second);
    }
}
