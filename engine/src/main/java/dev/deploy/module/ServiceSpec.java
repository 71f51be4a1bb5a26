package dev.deploy.module;

import dev.deploy.store.StorePath;
import java.util.Optional;
import java.util.SortedSet;

/**
 * An evaluated service: its name, the store path of its generated unit, the roots it uses (by role, directly or
 * through files and options), and how to check its health.
 */
public record ServiceSpec(String name, StorePath unit, SortedSet<String> inputs, Optional<HealthCheck> healthCheck) {
}
