package dev.deploy.venv;

import dev.deploy.python.LockedPackage;
import java.nio.file.Path;

/** Builds a wheel from an sdist for one host's Python (on that host, which has the same platform). */
@FunctionalInterface
public interface SdistBuilder {

    /** No builder: an sdist-only package without a wheelhouse wheel is an error. */
    SdistBuilder NONE = (what, pkg, sdist) -> null;

    /**
     * Builds {@code sdist} (a verified local file) of {@code pkg} into a wheel and returns the local wheel file, or
     * null when this builder cannot build.
     */
    Path build(String what, LockedPackage pkg, Path sdist);
}
