package dev.deploy.source;

import dev.deploy.DeployException;
import dev.deploy.store.Contents;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a {@code path:} source: walks the directory without following symlinks, skipping {@code .git} and excludes.
 * Each entry is stat-ed once; a file is read and hashed only when the {@link HashCache} has no trusted hash for it.
 */
public final class PathSourceReader {

    private static final int BUFFER_BYTES = 64 * 1024;

    /** Opens a file of the source for hashing (a seam for tests that count reads). */
    @FunctionalInterface
    interface Opener {
        InputStream open(Path file) throws IOException;
    }

    private final List<PathMatcher> excludes;
    private final TreeHashes hashes;
    private final Opener opener;
    private final MessageDigest digest;
    private final byte[] buffer = new byte[BUFFER_BYTES];

    private PathSourceReader(List<PathMatcher> excludes, TreeHashes hashes, Opener opener) {
        this.excludes = excludes;
        this.hashes = hashes;
        this.opener = opener;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and hashes every file. */
    public static SourceSnapshot read(SourceSpec.PathSource spec) {
        return read(spec, HashCache.disabled());
    }

    /** Reads the tree, re-reading only files whose hashes {@code cache} cannot vouch for. */
    public static SourceSnapshot read(SourceSpec.PathSource spec, HashCache cache) {
        return read(spec, cache, file -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
    }

    static SourceSnapshot read(SourceSpec.PathSource spec, HashCache cache, Opener opener) {
        Path root = spec.dir();
        if (!Files.isDirectory(root)) {
            throw DeployException.input(spec.declaredAt() + ": source directory " + root + " does not exist");
        }
        List<PathMatcher> excludes = spec.excludes().stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
        TreeHashes hashes = cache.open(root, spec.excludes());
        List<TreeEntry> entries = new ArrayList<>();
        try {
            new PathSourceReader(excludes, hashes, opener).walk(root, root, entries);
        } catch (IOException e) {
            throw DeployException.input(spec.declaredAt() + ": cannot read source " + root + ": " + e.getMessage());
        }
        hashes.save();
        Contents contents = entry -> Files.newInputStream(root.resolve(entry.path()), LinkOption.NOFOLLOW_LINKS);
        return new SourceSnapshot(new Tree(entries), contents, "path:" + root);
    }

    private void walk(Path root, Path dir, List<TreeEntry> into) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            list.forEach(children::add);
        }
        children.sort(null);
        for (Path child : children) {
            Path relative = root.relativize(child);
            String name = child.getFileName().toString();
            if (name.equals(".git") || excluded(relative)) {
                continue;
            }
            String path = relative.toString().replace('\\', '/');
            FileStat stat = FileStat.of(child);
            if (stat.isSymbolicLink()) {
                into.add(TreeEntry.symlink(path, Files.readSymbolicLink(child).toString()));
            } else if (stat.isDirectory()) {
                into.add(TreeEntry.directory(path));
                walk(root, child, into);
            } else if (stat.isRegularFile()) {
                TreeHashes.Known known = hashes.lookup(path, stat);
                if (known != null) {
                    into.add(TreeEntry.file(path, known.executable(), stat.size(), known.sha256()));
                } else {
                    boolean executable = Files.isExecutable(child);
                    Digest read = hash(child);
                    if (read.size() == stat.size()) {
                        hashes.put(path, stat, executable, read.sha256());
                    }
                    into.add(TreeEntry.file(path, executable, read.size(), read.sha256()));
                }
            } else {
                throw new IOException(child + " is neither a file, a directory nor a symlink");
            }
        }
    }

    /** Size and SHA-256 of the bytes read, so the entry describes one version of a file written meanwhile. */
    private record Digest(long size, String sha256) {
    }

    private Digest hash(Path file) throws IOException {
        digest.reset();
        long size = 0;
        try (InputStream in = opener.open(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new Digest(size, HexFormat.of().formatHex(digest.digest()));
    }

    private boolean excluded(Path relative) {
        for (PathMatcher matcher : excludes) {
            if (matcher.matches(relative) || matcher.matches(relative.getFileName())) {
                return true;
            }
        }
        return false;
    }
}
