package dev.deploy.python;

/** Where a locked package comes from: the {@code source} table of a uv.lock {@code [[package]]}. */
public sealed interface PackageSource {

    /** From a package index, e.g. {@code https://pypi.org/simple}; has an sdist and/or wheels. */
    record Registry(String index) implements PackageSource {
        @Override
        public String toString() {
            return "registry " + index;
        }
    }

    /** A local project installed in editable mode; the lock's own project is usually {@code editable = "."}. */
    record Editable(String path) implements PackageSource {
        @Override
        public String toString() {
            return "editable " + path;
        }
    }

    /** A local project that is not a package itself (no build system); only its dependencies get installed. */
    record Virtual(String path) implements PackageSource {
        @Override
        public String toString() {
            return "virtual " + path;
        }
    }

    /** A local source tree, built and installed non-editable. */
    record Directory(String path) implements PackageSource {
        @Override
        public String toString() {
            return "directory " + path;
        }
    }

    /** A Git repository; {@code url} carries the requested ref and the resolved commit after {@code #}. */
    record Git(String url) implements PackageSource {
        @Override
        public String toString() {
            return "git " + url;
        }
    }

    /** A direct URL to an archive (wheel or sdist). */
    record Url(String url) implements PackageSource {
        @Override
        public String toString() {
            return "url " + url;
        }
    }

    /** A local archive file (wheel or sdist). */
    record Path(String path) implements PackageSource {
        @Override
        public String toString() {
            return "path " + path;
        }
    }

    /** Whether this source is a source tree on the deploying machine rather than an archive to download. */
    default boolean isLocalTree() {
        return this instanceof Editable || this instanceof Virtual || this instanceof Directory;
    }
}
