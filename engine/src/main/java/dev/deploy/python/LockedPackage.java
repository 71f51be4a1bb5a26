package dev.deploy.python;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code [[package]]} of a uv.lock, with its default dependency group and its extras; development groups are
 * dropped when parsing, because deploy never installs them.
 *
 * @param name                 the PEP 503 normalized name
 * @param version              empty for a local project whose version is dynamic
 * @param resolutionMarkers    the forks this entry belongs to, when uv split the resolution by markers
 * @param dependencies         the default dependencies
 * @param optionalDependencies the dependencies each extra adds, by normalized extra name
 * @param line                 the uv.lock line of the entry's {@code name}, for messages
 */
public record LockedPackage(
        String name,
        Optional<String> version,
        PackageSource source,
        List<Marker> resolutionMarkers,
        List<LockDependency> dependencies,
        Map<String, List<LockDependency>> optionalDependencies,
        Optional<LockedFile> sdist,
        List<LockedWheel> wheels,
        int line) {

    public LockedPackage {
        resolutionMarkers = List.copyOf(resolutionMarkers);
        dependencies = List.copyOf(dependencies);
        optionalDependencies = Map.copyOf(optionalDependencies);
        wheels = List.copyOf(wheels);
    }

    /** {@code name version}, or just the name when the version is dynamic. */
    public String describe() {
        return version.map(v -> name + " " + v).orElse(name);
    }
}
