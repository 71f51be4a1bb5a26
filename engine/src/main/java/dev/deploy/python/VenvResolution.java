package dev.deploy.python;

import java.util.List;
import java.util.Set;

/**
 * What a venv for one host must contain: the packages the project's default dependencies, requested extras and groups reach from the
 * project (markers evaluated for that host), sorted by name then version. The project itself is not among them
 * when it is a local source tree, because it runs from that tree.
 *
 * @param project  the lock entry of the project deployed
 * @param target   the host environment the markers and wheel tags were evaluated for
 * @param packages the packages to install, sorted by name, then version
 * @param extras   the project's extras installed (normalized, sorted)
 * @param groups   the project's dependency groups installed (normalized, sorted)
 */
public record VenvResolution(LockedPackage project, TargetEnvironment target, List<ResolvedPackage> packages,
                             Set<String> extras, Set<String> groups) {

    public VenvResolution {
        packages = List.copyOf(packages);
        extras = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(extras));
        groups = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(groups));
    }

    /** The packages that have no fitting wheel: they need a build or cannot be installed at all. */
    public List<ResolvedPackage> withoutWheel() {
        return packages.stream().filter(p -> !p.installation().isWheel()).toList();
    }

    /** The normalized names of all packages, in order. */
    public List<String> names() {
        return packages.stream().map(ResolvedPackage::name).toList();
    }
}
