package dev.deploy.venv;

import dev.deploy.python.FileHash;
import dev.deploy.python.LockedFile;
import dev.deploy.python.LockedPackage;
import dev.deploy.source.SourceSnapshot;
import dev.deploy.store.Artifact;
import dev.deploy.store.TreeEntry;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * How one package of a venv gets in, decided at plan time without downloading anything: a wheel to install, or an
 * archive to build a wheel from on the host. {@link #identity()} names the package's part of the venv's store path.
 *
 * @param what  names the package in messages, e.g. {@code uv.lock (app.yaml: venvs.app):42: package 'anyio 4.8.0'};
 *              asked only for an error, as finding the line costs a parse
 * @param input the wheel, or what the wheel is built from
 * @param build whether {@code input} is built into a wheel on the host first
 */
record InstallStep(LockedPackage pkg, Supplier<String> what, VenvReport.Via via, Input input, boolean build) {

    /** {@code name version file hash-or-identity}; for a build, what it is built from and that it is built. */
    String identity() {
        String line = pkg.name() + " " + pkg.version().orElse("") + " " + input.fileName() + " " + input.key();
        return build ? line + " built-on-host" : line;
    }

    /** A file (wheel or source archive) the step needs, and how to get it onto the controller at apply. */
    sealed interface Input permits Remote, InTree, Packed {

        /** The file's name. */
        String fileName();

        /** What names the file's content in the store path: {@code sha256-<hex>}, or the packed files' identity. */
        String key();

        /** The file on the controller, fetched or made now if needed. */
        Path obtain(FileCache cache, Path packDir, Supplier<String> what);

        /** Bytes apply downloads for it: its locked size when not cached yet, empty when nothing is downloaded. */
        default OptionalLong toFetch(FileCache cache) {
            return OptionalLong.empty();
        }
    }

    /** A locked file at a URL, verified against the lock's hash when fetched. */
    record Remote(LockedFile file, FileHash hash) implements Input {
        @Override
        public String fileName() {
            return file.fileName();
        }

        @Override
        public String key() {
            return hash.algorithm() + "-" + hash.hexDigest();
        }

        @Override
        public Path obtain(FileCache cache, Path packDir, Supplier<String> what) {
            return cache.fetch(what, file, null);
        }

        @Override
        public OptionalLong toFetch(FileCache cache) {
            return cache.has(hash, file.fileName()) ? OptionalLong.empty()
                    : OptionalLong.of(file.size().orElse(0));
        }
    }

    /** A file of a source tree on the controller: a wheelhouse wheel, or a wheel or sdist the lock names by path. */
    record InTree(Artifact source, TreeEntry entry, String fileName, FileHash hash) implements Input {
        @Override
        public String key() {
            return hash.algorithm() + "-" + hash.hexDigest();
        }

        @Override
        public Path obtain(FileCache cache, Path packDir, Supplier<String> what) {
            return cache.store(what, source.origin() + ": " + entry.path(), hash, fileName,
                    () -> source.contents().open(entry));
        }
    }

    /**
     * A directory of a source tree packed like an sdist ({@link SourceArchive}): a workspace member of the project,
     * or a package's directory in a git commit, read from {@code tree} only at apply.
     *
     * @param identity names the files (a subtree hash, or repository, commit and subdirectory)
     * @param top      the archive's top directory, {@code NAME-VERSION}
     */
    record Packed(String identity, String top, Supplier<SourceSnapshot> tree, String prefix) implements Input {
        @Override
        public String fileName() {
            return top + ".tar.gz";
        }

        @Override
        public String key() {
            return identity;
        }

        @Override
        public Path obtain(FileCache cache, Path packDir, Supplier<String> what) {
            SourceSnapshot snapshot = tree.get();
            return SourceArchive.write(packDir, what, top, snapshot.tree(), snapshot.contents(), prefix);
        }
    }
}
