package dev.deploy.python;

import java.util.Optional;
import java.util.Set;

/**
 * One edge of the locked dependency graph: {@code { name = "uvicorn", extra = ["standard"], marker = "..." }}.
 * uv adds {@code version} (and {@code source}) only when the lock holds several packages of that name. In a lock
 * with {@code conflicts}, the marker may name conflict items ({@link ConflictItem#encoded()}).
 *
 * @param name    the PEP 503 normalized name of the package depended on
 * @param extras  the normalized extras requested of it
 * @param marker  when the edge applies; {@link Marker#ALWAYS} without one
 * @param at      where the entry is in the uv.lock, for messages
 */
public record LockDependency(
        String name,
        Optional<String> version,
        Optional<PackageSource> source,
        Set<String> extras,
        Marker marker,
        LockLine at) {

    public LockDependency {
        extras = Set.copyOf(extras);
    }

    /** The uv.lock line of the entry. */
    public int line() {
        return at.line();
    }
}
