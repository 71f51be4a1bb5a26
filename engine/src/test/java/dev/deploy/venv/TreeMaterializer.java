package dev.deploy.venv;

import dev.deploy.store.Contents;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a tree to disk the way a host's store would hold it, so tests can run what is in it. */
final class TreeMaterializer {

    private TreeMaterializer() {
    }

    static void write(Tree tree, Contents contents, Path root) throws IOException {
        Files.createDirectories(root);
        for (TreeEntry entry : tree.entries()) {
            Path path = root.resolve(entry.path());
            switch (entry.kind()) {
                case DIRECTORY -> Files.createDirectories(path);
                case SYMLINK -> Files.createSymbolicLink(path, Path.of(entry.linkTarget()));
                case FILE -> {
                    try (InputStream in = contents.open(entry)) {
                        Files.copy(in, path);
                    }
                    Files.setPosixFilePermissions(path,
                            PosixFilePermissions.fromString(entry.executable() ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }
}
