package dev.deploy.store;

/**
 * One entry of a file tree as the store sees it: a path relative to the tree's root ({@code /}-separated), its
 * kind, and for files the executable bit, size and SHA-256 of the contents. Owners, mtimes and other mode bits are
 * not part of an artifact.
 */
public record TreeEntry(String path, Kind kind, boolean executable, long size, String sha256, String linkTarget) {

    /** Entry kinds; a closed set so that canonical serialization covers every case. */
    public enum Kind { DIRECTORY, FILE, SYMLINK }

    public static TreeEntry directory(String path) {
        return new TreeEntry(path, Kind.DIRECTORY, false, 0, null, null);
    }

    public static TreeEntry file(String path, boolean executable, long size, String sha256) {
        return new TreeEntry(path, Kind.FILE, executable, size, sha256, null);
    }

    public static TreeEntry symlink(String path, String target) {
        return new TreeEntry(path, Kind.SYMLINK, false, 0, null, target);
    }

    /** Permission bits the entry has in a sealed store path. */
    public int mode() {
        return switch (kind) {
            case DIRECTORY -> 0755;
            case FILE -> executable ? 0755 : 0644;
            case SYMLINK -> 0777;
        };
    }

    /** One canonical line; paths and link targets cannot contain newlines (the tree rejects them). */
    String canonicalLine() {
        return switch (kind) {
            case DIRECTORY -> "d " + path + "\n";
            case FILE -> "f " + (executable ? "x" : "-") + " " + size + " " + sha256 + " " + path + "\n";
            case SYMLINK -> "l " + path + "\n> " + linkTarget + "\n";
        };
    }
}
