package dev.deploy.python;

import dev.deploy.DeployException;

import java.util.List;
import java.util.Optional;

/**
 * A parsed uv.lock: the packages of a project's universal resolution. Several entries may share a name when uv
 * forked the resolution (for instance by {@code python_full_version}); the dependency edges that point at them
 * then carry a version, and their {@code resolutionMarkers} say which fork each belongs to.
 *
 * @param origin            the file the lock was read from, for messages
 * @param version           the lock format version (only 1 is understood)
 * @param revision          the format revision within that version
 * @param requiresPython    the project's {@code requires-python}, when recorded
 * @param resolutionMarkers the forks of the resolution, empty when uv did not fork; every dependency marker holds
 *                          only within their union (uv intersects each edge with it)
 * @param supportedMarkers  {@code supported-markers}: the environments the lock was made for (uv's
 *                          {@code tool.uv.environments}); empty means all
 * @param conflicts         {@code conflicts}: sets of extras, groups and projects of which at most one may be
 *                          installed at a time (see {@link ConflictItem})
 * @param packages          the entries in file order
 */
public record UvLock(
        String origin,
        int version,
        int revision,
        Optional<VersionSpecifiers> requiresPython,
        List<Marker> resolutionMarkers,
        List<Marker> supportedMarkers,
        List<List<ConflictItem>> conflicts,
        List<LockedPackage> packages) {

    public UvLock {
        resolutionMarkers = List.copyOf(resolutionMarkers);
        supportedMarkers = List.copyOf(supportedMarkers);
        conflicts = conflicts.stream().map(List::copyOf).toList();
        packages = List.copyOf(packages);
    }

    /** The entries with this name (normalized first), in file order. */
    public List<LockedPackage> packagesNamed(String name) {
        String normalized = PackageNames.normalize(name);
        return packages.stream().filter(p -> p.name().equals(normalized)).toList();
    }

    /** The entries an edge may point at: same name, and same version and source where the edge names them. */
    public List<LockedPackage> candidatesFor(LockDependency dependency) {
        return packagesNamed(dependency.name()).stream()
                .filter(p -> dependency.version().isEmpty() || sameVersion(dependency.version().get(), p.version()))
                .filter(p -> dependency.source().isEmpty() || dependency.source().get().equals(p.source()))
                .toList();
    }

    private static boolean sameVersion(String wanted, Optional<String> actual) {
        if (actual.isEmpty()) {
            return false;
        }
        Optional<Pep440Version> a = Pep440Version.tryParse(wanted);
        Optional<Pep440Version> b = Pep440Version.tryParse(actual.get());
        return a.isPresent() && b.isPresent() ? a.get().equals(b.get()) : wanted.equals(actual.get());
    }

    /** The one entry an edge points at; the parser has already checked that there is exactly one. */
    public LockedPackage packageFor(LockDependency dependency) {
        List<LockedPackage> candidates = candidatesFor(dependency);
        if (candidates.size() != 1) {
            throw DeployException.input(origin + ":" + dependency.line() + ": dependency '" + dependency.name() + "': "
                    + (candidates.isEmpty() ? "no [[package]] entry matches" : "several [[package]] entries match"));
        }
        return candidates.get(0);
    }

    /** The single entry called {@code name}, e.g. the project to deploy; fails when it is missing or forked. */
    public LockedPackage onlyPackageNamed(String name) {
        List<LockedPackage> found = packagesNamed(name);
        if (found.size() != 1) {
            throw DeployException.input(origin + ": package '" + PackageNames.normalize(name) + "': "
                    + (found.isEmpty() ? "not in the lock" : "the lock holds " + found.size() + " versions of it"));
        }
        return found.get(0);
    }
}
