package dev.deploy.source;

import dev.deploy.yaml.Location;
import java.nio.file.Path;
import java.util.List;

/** A pinned source tree: a local directory, or a commit of a git repository. */
public sealed interface SourceSpec permits SourceSpec.PathSource, SourceSpec.GitSource {

    /** Where the source was declared, for errors. */
    Location declaredAt();

    /** A directory on the controller; {@code .git} is never included, {@code excludes} are globs. */
    record PathSource(Path dir, List<String> excludes, Location declaredAt) implements SourceSpec {
        @Override
        public String toString() {
            return "path:" + dir;
        }
    }

    /**
     * A git repository (URL or local path) and a ref (branch, tag or commit id). The ref is resolved to a commit at
     * plan time and the tree is read from that commit, never from a working tree.
     */
    record GitSource(String url, String ref, Location declaredAt) implements SourceSpec {
        @Override
        public String toString() {
            return "git:" + url + "#" + ref;
        }
    }
}
