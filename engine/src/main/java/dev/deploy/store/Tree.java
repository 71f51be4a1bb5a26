package dev.deploy.store;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A file tree in canonical form: entries sorted by path (byte order), with a SHA-256 over their canonical
 * serialization ({@code deploy-tree-v1\n} then {@link TreeEntry#canonical each entry}). Two trees with the same
 * names, kinds, executable bits, link targets and contents have the same hash whatever order they were read in and
 * whatever their mtimes.
 *
 * <p>What a tree may hold is what a Linux host can be given byte for byte ({@link #problem}): paths relative,
 * without empty, {@code .} or {@code ..} components, each component at most {@value #NAME_MAX} bytes and the
 * whole at most {@value #PATH_BYTES_MAX}, no NUL; symlink targets non-empty, without NUL, at most
 * {@value #LINK_TARGET_MAX} bytes; every entry's parent directory listed as a directory (so no entry is ever
 * reached through a symlink of the tree).
 */
public final class Tree {

    /** Longest name component a Linux file system takes (NAME_MAX), in bytes. */
    public static final int NAME_MAX = 255;

    /**
     * Longest path in a tree, in bytes: Linux system calls take at most 4096 (PATH_MAX), and hosts address entries
     * with the state directory and the store path in front (about 1 kB left for those).
     */
    public static final int PATH_BYTES_MAX = 3072;

    /** Longest symlink target Linux stores (PATH_MAX minus the terminating NUL), in bytes. */
    public static final int LINK_TARGET_MAX = 4095;

    private static final byte[] HEADER = "deploy-tree-v1\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final List<TreeEntry> entries;
    private final String hash;
    private final long totalBytes;

    /** An entry with its path's bytes, encoded once for sorting. */
    private record Keyed(byte[] key, TreeEntry entry) {
    }

    /**
     * @throws IllegalArgumentException when an entry is not carriable ({@link #problem}), listed twice, or not inside
     *                                  a directory of the tree
     */
    public Tree(List<TreeEntry> unsorted) {
        List<Keyed> sorted = new ArrayList<>(unsorted.size());
        for (TreeEntry entry : unsorted) {
            Optional<String> problem = problem(entry);
            if (problem.isPresent()) {
                throw new IllegalArgumentException(problem.get());
            }
            sorted.add(new Keyed(entry.pathBytes(), entry));
        }
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        List<TreeEntry> entries = new ArrayList<>(sorted.size());
        MessageDigest digest = sha256();
        digest.update(HEADER);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        Set<String> directories = new HashSet<>();
        long bytes = 0;
        byte[] previous = null;
        for (Keyed keyed : sorted) {
            TreeEntry entry = keyed.entry();
            if (previous != null && Arrays.equals(previous, keyed.key())) {
                throw new IllegalArgumentException("the tree lists " + FileNames.display(entry.path()) + " twice");
            }
            previous = keyed.key();
            int slash = entry.path().lastIndexOf('/');
            if (slash > 0 && !directories.contains(entry.path().substring(0, slash))) {
                throw new IllegalArgumentException(FileNames.display(entry.path())
                        + " is not inside a directory of the tree");
            }
            if (entry.kind() == TreeEntry.Kind.DIRECTORY) {
                directories.add(entry.path());
            }
            line.reset();
            entry.canonical(line);
            digest.update(line.toByteArray());
            bytes += entry.size();
            entries.add(entry);
        }
        this.entries = Collections.unmodifiableList(entries);
        this.hash = HexFormat.of().formatHex(digest.digest());
        this.totalBytes = bytes;
    }

    /** Entries sorted by path bytes; a directory always comes before what it contains. */
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

    /**
     * Why {@code entry} cannot be part of a tree a host gets byte for byte, or empty when it can. Readers call this
     * per entry to refuse a source at plan time, naming the file.
     */
    public static Optional<String> problem(TreeEntry entry) {
        byte[] path;
        try {
            path = entry.pathBytes();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        String shown = FileNames.display(entry.path());
        if (path.length == 0 || path[0] == '/' || path[path.length - 1] == '/' || TreeEntry.contains(path, (byte) 0)) {
            return Optional.of("invalid path in tree: '" + shown + "'");
        }
        if (path.length > PATH_BYTES_MAX) {
            return Optional.of("'" + shown + "' is a path of " + path.length + " bytes; deploy takes at most "
                    + PATH_BYTES_MAX + " (Linux's PATH_MAX is 4096, with the state directory in front)");
        }
        int start = 0;
        while (start <= path.length) {
            int end = start;
            while (end < path.length && path[end] != '/') {
                end++;
            }
            int length = end - start;
            if (length == 0 || (path[start] == '.' && (length == 1 || (length == 2 && path[start + 1] == '.')))) {
                return Optional.of("invalid path in tree: '" + shown + "' (empty, '.' or '..' component)");
            }
            if (length > NAME_MAX) {
                return Optional.of("'" + shown + "' has a name of " + length + " bytes; Linux allows at most "
                        + NAME_MAX);
            }
            start = end + 1;
        }
        switch (entry.kind()) {
            case SYMLINK -> {
                byte[] target;
                try {
                    target = entry.linkTargetBytes();
                } catch (IllegalArgumentException e) {
                    return Optional.of(e.getMessage());
                }
                if (target == null || target.length == 0 || TreeEntry.contains(target, (byte) 0)) {
                    return Optional.of("symlink '" + shown + "' has an empty target or one with a NUL byte");
                }
                if (target.length > LINK_TARGET_MAX) {
                    return Optional.of("symlink '" + shown + "' has a target of " + target.length
                            + " bytes; Linux stores at most " + LINK_TARGET_MAX);
                }
            }
            case FILE -> {
                if (entry.size() < 0 || !isSha256(entry.sha256())) {
                    return Optional.of("file '" + shown + "' has no valid size and SHA-256");
                }
            }
            case DIRECTORY -> {
            }
        }
        return Optional.empty();
    }

    private static boolean isSha256(String hex) {
        if (hex == null || hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
