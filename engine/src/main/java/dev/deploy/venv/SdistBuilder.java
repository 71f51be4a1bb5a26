package dev.deploy.venv;

import dev.deploy.python.LockedPackage;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Builds a wheel from a source archive (a locked sdist, or a workspace member or git checkout packed like one) for
 * one host's Python, on that host, which has the same platform.
 */
public interface SdistBuilder {

    /** No builder: a package that needs a build (and has no wheel in the wheelhouse) is an error at plan time. */
    SdistBuilder NONE = new SdistBuilder() {
        @Override
        public Path build(Supplier<String> what, LockedPackage pkg, Path sdist) {
            return null;
        }

        @Override
        public boolean available() {
            return false;
        }
    };

    /**
     * Builds {@code sdist} (a verified local archive) of {@code pkg} into a wheel and returns the local wheel file,
     * or null when this builder cannot build. {@code what} names the package in messages (asked only on error).
     */
    Path build(Supplier<String> what, LockedPackage pkg, Path sdist);

    /** Whether this builder builds at all; plans check it so that apply does not find out. */
    default boolean available() {
        return true;
    }
}
