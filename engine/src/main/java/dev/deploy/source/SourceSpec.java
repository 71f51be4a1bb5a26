package dev.deploy.source;

import dev.deploy.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A source tree as a module or inventory wrote it ({@link SourceSpecs} parses every form): a local directory taken
 * as it is now, or a commit of a git repository.
 */
public sealed interface SourceSpec permits SourceSpec.PathSource, SourceSpec.GitSource {

    /** Where the source was declared, for errors (may be null in tests). */
    Location declaredAt();

    /**
     * The reference as written ({@code path:site}, {@code github:lnbits/lnbits/v1.0.0}, ...), for plans, messages and
     * lock keys; credentials in a URL are scrubbed ({@link GitUrls}).
     */
    String written();

    /**
     * A directory on the controller, read as it is now (a working tree: not pinned). {@code .git} is never
     * included. {@code excludes} are gitignore patterns relative to {@code dir} ({@link ExcludeRules});
     * {@code ignoreFiles} names per-directory pattern files of the tree to honour too (e.g. {@code .gitignore}).
     */
    record PathSource(Path dir, List<String> excludes, List<String> ignoreFiles, String written, Location declaredAt)
            implements SourceSpec {

        public PathSource {
            excludes = List.copyOf(excludes);
            ignoreFiles = List.copyOf(ignoreFiles);
        }

        public PathSource(Path dir, List<String> excludes, Location declaredAt) {
            this(dir, excludes, List.of(), "path:" + dir, declaredAt);
        }

        @Override
        public String toString() {
            return written;
        }
    }

    /**
     * A git repository and what to take from it. {@code url} is a remote URL ({@code https://}, {@code ssh://},
     * {@code git://}, {@code user@host:path}) or an absolute local path. {@code ref} is a name resolved like
     * {@code git rev-parse} (a full commit id first, then tags, then branches), {@code rev} a full commit id that pins
     * the source by itself; with neither, the repository's default branch ({@code HEAD}). {@code dir} makes a
     * subdirectory the source's root. The tree always comes from one commit, never from a working tree.
     */
    record GitSource(String url, Optional<String> ref, Optional<String> rev, Optional<String> dir, String written,
                     Location declaredAt) implements SourceSpec {

        /**
         * A {@code ref} of {@code HEAD} is the default branch, as {@code git rev-parse HEAD} reads it (no branch or
         * tag is named {@code HEAD}), so it is kept as "no ref" in every form that can write it.
         */
        public GitSource {
            ref = ref.filter(r -> !r.equals("HEAD"));
        }

        /** A {@code git:URL#REF} source (the original form). */
        public GitSource(String url, String ref, Location declaredAt) {
            this(url, Optional.of(ref), Optional.empty(), Optional.empty(), GitUrls.redact("git:" + url + "#" + ref),
                    declaredAt);
        }

        /** Whether the repository is a directory on the controller (read in place, never fetched). */
        public boolean isLocal() {
            return url.startsWith("/");
        }

        /** The URL as plans, messages and the lock show it: credentials scrubbed ({@link GitUrls}). */
        public String displayUrl() {
            return GitUrls.redact(url);
        }

        /** What is asked for: {@code rev}, else {@code ref}, else {@code HEAD}. */
        public String wanted() {
            return rev.orElse(ref.orElse("HEAD"));
        }

        @Override
        public String toString() {
            return written;
        }
    }
}
