package dev.deploy.source;

import dev.deploy.DeployException;
import dev.deploy.store.Contents;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;

/** Reads a {@code path:} source: walks the directory without following symlinks, skipping {@code .git} and excludes. */
public final class PathSourceReader {

    private PathSourceReader() {
    }

    public static SourceSnapshot read(SourceSpec.PathSource spec) {
        Path root = spec.dir();
        if (!Files.isDirectory(root)) {
            throw DeployException.input(spec.declaredAt() + ": source directory " + root + " does not exist");
        }
        List<PathMatcher> excludes = spec.excludes().stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
        List<TreeEntry> entries = new ArrayList<>();
        try {
            walk(root, root, excludes, entries);
        } catch (IOException e) {
            throw DeployException.input(spec.declaredAt() + ": cannot read source " + root + ": " + e.getMessage());
        }
        Contents contents = entry -> Files.newInputStream(root.resolve(entry.path()), LinkOption.NOFOLLOW_LINKS);
        return new SourceSnapshot(new Tree(entries), contents, "path:" + root);
    }

    private static void walk(Path root, Path dir, List<PathMatcher> excludes, List<TreeEntry> into) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            Path relative = root.relativize(child);
            String name = child.getFileName().toString();
            if (name.equals(".git") || excluded(relative, excludes)) {
                continue;
            }
            String path = relative.toString().replace('\\', '/');
            if (Files.isSymbolicLink(child)) {
                into.add(TreeEntry.symlink(path, Files.readSymbolicLink(child).toString()));
            } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                into.add(TreeEntry.directory(path));
                walk(root, child, excludes, into);
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                String sha;
                try (InputStream in = Files.newInputStream(child)) {
                    sha = DigestUtils.sha256Hex(in);
                }
                into.add(TreeEntry.file(path, Files.isExecutable(child), Files.size(child), sha));
            } else {
                throw new IOException(child + " is neither a file, a directory nor a symlink");
            }
        }
    }

    private static boolean excluded(Path relative, List<PathMatcher> excludes) {
        for (PathMatcher matcher : excludes) {
            if (matcher.matches(relative) || matcher.matches(relative.getFileName())) {
                return true;
            }
        }
        return false;
    }
}
