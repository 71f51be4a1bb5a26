package dev.deploy.module;

import dev.deploy.store.StorePath;
import java.util.Optional;

/** An evaluated service: its name, the store path of its generated unit, and how to check its health. */
public record ServiceSpec(String name, StorePath unit, Optional<HealthCheck> healthCheck) {
}
