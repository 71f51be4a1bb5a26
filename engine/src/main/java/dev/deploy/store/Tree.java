package dev.deploy.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A file tree in canonical form: entries sorted by path (byte order), with a SHA-256 over their canonical
 * serialization. Two trees with the same names, kinds, executable bits, link targets and contents have the same
 * hash whatever order they were read in and whatever their mtimes.
 */
public final class Tree {

    private final List<TreeEntry> entries;
    private final String hash;
    private final long totalBytes;

    /** An entry with its path's UTF-8 bytes, encoded once for sorting. */
    private record Keyed(byte[] key, TreeEntry entry) {
    }

    public Tree(List<TreeEntry> unsorted) {
        List<Keyed> sorted = new ArrayList<>(unsorted.size());
        for (TreeEntry entry : unsorted) {
            sorted.add(new Keyed(entry.path().getBytes(StandardCharsets.UTF_8), entry));
        }
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        List<TreeEntry> entries = new ArrayList<>(sorted.size());
        StringBuilder canonical = new StringBuilder(64 + sorted.size() * 100).append("deploy-tree-v1\n");
        long bytes = 0;
        byte[] previous = null;
        for (Keyed keyed : sorted) {
            TreeEntry entry = keyed.entry();
            checkPath(entry.path());
            if (entry.linkTarget() != null && (entry.linkTarget().contains("\n") || entry.linkTarget().isEmpty())) {
                throw new IllegalArgumentException("symlink " + entry.path() + " has an empty or multi-line target");
            }
            if (previous != null && Arrays.equals(previous, keyed.key())) {
                throw new IllegalArgumentException("the tree lists " + entry.path() + " twice");
            }
            previous = keyed.key();
            canonical.append(entry.canonicalLine());
            bytes += entry.size();
            entries.add(entry);
        }
        this.entries = Collections.unmodifiableList(entries);
        this.hash = DigestUtils.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
        this.totalBytes = bytes;
    }

    /** Entries sorted by path; a directory always comes before what it contains. */
    public List<TreeEntry> entries() {
        return entries;
    }

    /** Hex SHA-256 of the canonical serialization. */
    public String hash() {
        return hash;
    }

    /** Sum of file sizes. */
    public long totalBytes() {
        return totalBytes;
    }

    public int fileCount() {
        return (int) entries.stream().filter(e -> e.kind() == TreeEntry.Kind.FILE).count();
    }

    private static void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("\n")
                || path.contains("\0") || path.contains("//")) {
            throw new IllegalArgumentException("invalid path in tree: " + path.replace("\n", "\\n"));
        }
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if (path.charAt(start) == '.' && (length == 1 || (length == 2 && path.charAt(start + 1) == '.'))) {
                throw new IllegalArgumentException("invalid path in tree: " + path);
            }
            start = end + 1;
        }
    }
}
