package dev.deploy.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one {@code lstat} says about a source entry: enough to tell its kind and, like git's index, whether a file
 * may have changed since it was hashed (size, mtime and ctime in nanoseconds, inode, device, mode bits).
 */
public record FileStat(long size, long mtimeNanos, long ctimeNanos, long inode, long device, int mode) {

    private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino,dev,mode";
    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int SYMLINK = 0120000;

    /** Reads {@code path}'s attributes without following a symlink, in one system call. */
    public static FileStat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return new FileStat((Long) a.get("size"), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")),
                (Long) a.get("ino"), (Long) a.get("dev"), (Integer) a.get("mode"));
    }

    /** Field by field (a record's generated equals goes through a method-handle bootstrap: slow in a cold JVM). */
    @Override
    public boolean equals(Object other) {
        return other instanceof FileStat o && size == o.size && mtimeNanos == o.mtimeNanos
                && ctimeNanos == o.ctimeNanos && inode == o.inode && device == o.device && mode == o.mode;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(inode * 31 + mtimeNanos);
    }

    public boolean isDirectory() {
        return (mode & TYPE_MASK) == DIRECTORY;
    }

    public boolean isRegularFile() {
        return (mode & TYPE_MASK) == REGULAR;
    }

    public boolean isSymbolicLink() {
        return (mode & TYPE_MASK) == SYMLINK;
    }

    /** The later of mtime and ctime: a content change or an mtime set back by hand both move it. */
    long changedNanos() {
        return Math.max(mtimeNanos, ctimeNanos);
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }
}
