package dev.deploy.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A file tree in canonical form: entries sorted by path (byte order), with a SHA-256 over their canonical
 * serialization. Two trees with the same names, kinds, executable bits, link targets and contents have the same
 * hash whatever order they were read in and whatever their mtimes.
 */
public final class Tree {

    private static final Comparator<TreeEntry> BY_PATH =
            Comparator.comparing(entry -> entry.path().getBytes(StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned);

    private final List<TreeEntry> entries;
    private final String hash;
    private final long totalBytes;

    public Tree(List<TreeEntry> unsorted) {
        List<TreeEntry> sorted = new ArrayList<>(unsorted);
        sorted.sort(BY_PATH);
        Set<String> seen = new HashSet<>();
        StringBuilder canonical = new StringBuilder("deploy-tree-v1\n");
        long bytes = 0;
        for (TreeEntry entry : sorted) {
            checkPath(entry.path());
            if (entry.linkTarget() != null && (entry.linkTarget().contains("\n") || entry.linkTarget().isEmpty())) {
                throw new IllegalArgumentException("symlink " + entry.path() + " has an empty or multi-line target");
            }
            if (!seen.add(entry.path())) {
                throw new IllegalArgumentException("the tree lists " + entry.path() + " twice");
            }
            canonical.append(entry.canonicalLine());
            bytes += entry.size();
        }
        this.entries = List.copyOf(sorted);
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
        for (String part : path.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("invalid path in tree: " + path);
            }
        }
    }
}
