package dev.deploy.python;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code [[package]]} of a uv.lock: its source and files, its default dependencies, the dependencies of each
 * extra ({@code [package.optional-dependencies]}) and of each dependency group ({@code [package.dev-dependencies]},
 * PEP 735 groups; uv writes them only for workspace members).
 *
 * @param name                 the PEP 503 normalized name
 * @param version              empty for a local project whose version is dynamic
 * @param resolutionMarkers    the forks this entry belongs to, when uv split the resolution by markers
 * @param dependencies         the default dependencies
 * @param optionalDependencies the dependencies each extra adds, by normalized extra name
 * @param dependencyGroups     the dependencies of each dependency group, by normalized group name
 * @param declaredExtras       {@code [package.metadata] provides-extras}: every extra the project declares, also
 *                             those that add nothing (and so have no table of their own); empty in older locks
 * @param declaredGroups       the groups of {@code [package.metadata.requires-dev]}, likewise
 * @param at                   where the entry's {@code name} is in the uv.lock, for messages
 */
public record LockedPackage(
        String name,
        Optional<String> version,
        PackageSource source,
        List<Marker> resolutionMarkers,
        List<LockDependency> dependencies,
        Map<String, List<LockDependency>> optionalDependencies,
        Map<String, List<LockDependency>> dependencyGroups,
        Set<String> declaredExtras,
        Set<String> declaredGroups,
        Optional<LockedFile> sdist,
        List<LockedWheel> wheels,
        LockLine at) {

    public LockedPackage {
        resolutionMarkers = List.copyOf(resolutionMarkers);
        dependencies = List.copyOf(dependencies);
        optionalDependencies = Map.copyOf(optionalDependencies);
        dependencyGroups = Map.copyOf(dependencyGroups);
        declaredExtras = Set.copyOf(declaredExtras);
        declaredGroups = Set.copyOf(declaredGroups);
        wheels = List.copyOf(wheels);
    }

    /** {@code name version}, or just the name when the version is dynamic. */
    public String describe() {
        return version.map(v -> name + " " + v).orElse(name);
    }

    /** The uv.lock line of the entry's {@code name}. */
    public int line() {
        return at.line();
    }

    /** Every extra this package has, sorted: those with dependencies and those its metadata declares. */
    public Set<String> knownExtras() {
        TreeSet<String> known = new TreeSet<>(optionalDependencies.keySet());
        known.addAll(declaredExtras);
        return known;
    }

    /** Every dependency group this package has, sorted. */
    public Set<String> knownGroups() {
        TreeSet<String> known = new TreeSet<>(dependencyGroups.keySet());
        known.addAll(declaredGroups);
        return known;
    }

    /** The edges of the default dependencies, every extra and every group. */
    public List<LockDependency> allEdges() {
        List<LockDependency> all = new java.util.ArrayList<>(dependencies);
        optionalDependencies.values().forEach(all::addAll);
        dependencyGroups.values().forEach(all::addAll);
        return all;
    }
}
