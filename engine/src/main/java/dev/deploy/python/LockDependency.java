package dev.deploy.python;

import java.util.Optional;
import java.util.Set;

/**
 * One edge of the locked dependency graph: {@code { name = "uvicorn", extra = ["standard"], marker = "..." }}.
 * uv adds {@code version} (and {@code source}) only when the lock holds several packages of that name.
 *
 * @param name    the PEP 503 normalized name of the package depended on
 * @param extras  the normalized extras requested of it
 * @param marker  when the edge applies; {@link Marker#ALWAYS} without one
 * @param line    the uv.lock line of the entry, for messages
 */
public record LockDependency(
        String name,
        Optional<String> version,
        Optional<PackageSource> source,
        Set<String> extras,
        Marker marker,
        int line) {

    public LockDependency {
        extras = Set.copyOf(extras);
    }
}
