package dev.deploy.source;

import dev.deploy.DeployException;
import dev.deploy.store.Contents;
import dev.deploy.store.FileNames;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@code path:} source: walks the directory without following symlinks, skipping {@code .git}, what the
 * {@code exclude} patterns and (opt-in) the tree's own ignore files exclude ({@link ExcludeRules}, gitignore
 * semantics), and what the controller itself writes ({@link ControllerPaths}). Names and link targets are taken as
 * bytes ({@link NativePaths}), whatever the JVM's locale. Each entry is stat-ed once; a file is read and hashed only
 * when the {@link HashCache} has no trusted hash for it.
 */
public final class PathSourceReader {

    /** How a path source's origin ends in plans and manifests: it is read as it is, not pinned. */
    public static final String WORKING_TREE = "path (working tree)";

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int IGNORE_FILE_MAX_BYTES = 1 << 20;

    /** Opens a file of the source for hashing (a seam for tests that count reads). */
    @FunctionalInterface
    interface Opener {
        InputStream open(Path file) throws IOException;
    }

    /** The ignore-file rules of one directory of the tree ({@code base}: its path, "" for the root). */
    private record Frame(String base, ExcludeRules rules) {
    }

    private final SourceSpec.PathSource spec;
    private final ExcludeRules excludes;
    private final TreeHashes hashes;
    private final Opener opener;
    private final ControllerPaths.Matcher controller;
    private final List<SourceNotice> notices = new ArrayList<>();
    private final MessageDigest digest;
    private final byte[] buffer = new byte[BUFFER_BYTES];

    private PathSourceReader(SourceSpec.PathSource spec, TreeHashes hashes, Opener opener,
                             ControllerPaths.Matcher controller) {
        this.spec = spec;
        this.excludes = new ExcludeRules(spec.excludes());
        this.hashes = hashes;
        this.opener = opener;
        this.controller = controller;
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
        return read(spec, cache, ControllerPaths.none());
    }

    /** Reads the tree, leaving out what {@code controller} owns. */
    public static SourceSnapshot read(SourceSpec.PathSource spec, HashCache cache, ControllerPaths controller) {
        return read(spec, cache, controller, file -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
    }

    static SourceSnapshot read(SourceSpec.PathSource spec, HashCache cache, Opener opener) {
        return read(spec, cache, ControllerPaths.none(), opener);
    }

    static SourceSnapshot read(SourceSpec.PathSource spec, HashCache cache, ControllerPaths controller,
                               Opener opener) {
        Path root = spec.dir();
        if (!Files.isDirectory(root)) {
            throw DeployException.input(spec.declaredAt(), null, spec.written() + ": source directory "
                    + FileNames.display(FileNames.decode(NativePaths.bytes(root))) + " does not exist");
        }
        List<String> cacheKey = new ArrayList<>(spec.excludes());
        spec.ignoreFiles().forEach(name -> cacheKey.add("ignore-file:" + name));
        TreeHashes hashes = cache.open(root, cacheKey);
        List<TreeEntry> entries = new ArrayList<>();
        PathSourceReader reader = new PathSourceReader(spec, hashes, opener, controller.matcher());
        try {
            reader.walk(root, "", new ArrayList<>(), entries);
        } catch (IOException e) {
            throw DeployException.input(spec.declaredAt(), null, spec.written() + ": cannot read "
                    + FileNames.display(e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        hashes.save();
        for (String pattern : reader.excludes.unmatched()) {
            reader.notices.add(new SourceNotice.UnmatchedExclude(spec.declaredAt(), spec.written(), pattern));
        }
        Contents contents = entry -> Files.newInputStream(NativePaths.resolve(root, entry.path()),
                LinkOption.NOFOLLOW_LINKS);
        Tree tree = new Tree(entries);
        LfsPointers.refuse(spec, tree, contents);
        return new SourceSnapshot(tree, contents, spec.written() + " = "
                + FileNames.display(FileNames.decode(NativePaths.bytes(root))) + ", " + WORKING_TREE, reader.notices);
    }

    private void walk(Path dir, String relativeDir, List<Frame> frames, List<TreeEntry> into) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            list.forEach(children::add);
        }
        children.sort(null);
        List<Frame> scope = withIgnoreFiles(dir, relativeDir, frames);
        boolean openToOthers = (FileStat.of(dir).mode() & 05) == 05;
        for (Path child : children) {
            String name = NativePaths.name(child);
            if (name.equals(".git")) {
                continue;
            }
            String path = relativeDir.isEmpty() ? name : relativeDir + "/" + name;
            FileStat stat = FileStat.of(child);
            if (excluded(path, stat.isDirectory(), scope)) {
                continue;
            }
            Optional<ControllerPaths.Owned> owner = controller.owner(stat);
            if (owner.isPresent()) {
                notices.add(new SourceNotice.ControllerPathExcluded(spec.declaredAt(), spec.written(), path,
                        owner.get().what()));
                continue;
            }
            Optional<String> problem;
            if (stat.isSymbolicLink()) {
                TreeEntry entry = TreeEntry.symlink(path, NativePaths.linkTarget(child));
                problem = Tree.problem(entry);
                into.add(entry);
            } else if (stat.isDirectory()) {
                into.add(TreeEntry.directory(path));
                problem = Tree.problem(into.get(into.size() - 1));
                if (problem.isEmpty()) {
                    walk(child, path, scope, into);
                }
            } else if (stat.isRegularFile()) {
                if ((stat.mode() & 04) == 0 && openToOthers) {
                    // The store makes every file world-readable (0444): a file others may not read in a directory
                    // they may is likely a secret (issue 12: a 0600 secret.env ended up 0444 on every host). A tree
                    // made under umask 077 or 027 (directories closed too) is not refused.
                    throw DeployException.input(spec.declaredAt(), null, spec.written() + ": '"
                            + FileNames.display(path) + "' is not readable by others (mode "
                            + String.format("%04o", stat.mode() & 07777) + "), but every file of a store path is "
                            + "world-readable on the hosts: give a secret to services as a secret (README 'Secrets'),"
                            + " exclude the file, or make it readable (chmod o+r)");
                }
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
                problem = Tree.problem(into.get(into.size() - 1));
            } else {
                throw DeployException.input(spec.declaredAt(), null, spec.written() + ": '" + FileNames.display(path)
                        + "' is neither a file, a directory nor a symlink (a socket, FIFO or device cannot be "
                        + "deployed); exclude it");
            }
            if (problem.isPresent()) {
                throw DeployException.input(spec.declaredAt(), null, spec.written() + ": " + problem.get());
            }
        }
    }

    /** {@code frames} plus the rules of the ignore files {@code dir} has, if any are configured. */
    private List<Frame> withIgnoreFiles(Path dir, String relativeDir, List<Frame> frames) throws IOException {
        if (spec.ignoreFiles().isEmpty()) {
            return frames;
        }
        List<byte[]> files = new ArrayList<>();
        for (String name : spec.ignoreFiles()) {
            Path file = NativePaths.resolve(dir, name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.size(file) > IGNORE_FILE_MAX_BYTES) {
                    throw new IOException(file + ": an ignore file over 1 MiB");
                }
                files.add(Files.readAllBytes(file));
            }
        }
        ExcludeRules rules = ExcludeRules.ofFiles(files);
        if (rules.isEmpty()) {
            return frames;
        }
        List<Frame> deeper = new ArrayList<>(frames.size() + 1);
        deeper.add(new Frame(relativeDir, rules));
        deeper.addAll(frames);
        return deeper;
    }

    /** The inventory's patterns decide first; then the ignore files, deepest directory first (git's precedence). */
    private boolean excluded(String path, boolean directory, List<Frame> frames) {
        ExcludeRules.Decision decision = excludes.isEmpty() ? ExcludeRules.Decision.NONE
                : excludes.decide(path, directory);
        for (int i = 0; decision == ExcludeRules.Decision.NONE && i < frames.size(); i++) {
            Frame frame = frames.get(i);
            String relative = frame.base().isEmpty() ? path : path.substring(frame.base().length() + 1);
            decision = frame.rules().decide(relative, directory);
        }
        return decision == ExcludeRules.Decision.EXCLUDED;
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
}
