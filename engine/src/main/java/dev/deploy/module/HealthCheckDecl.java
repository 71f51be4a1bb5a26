package dev.deploy.module;

import dev.deploy.yaml.YamlValue;
import java.util.Optional;

/**
 * How to tell that a service came up: it is active, and optionally an HTTP URL on the host answers 2xx/3xx or a
 * command exits 0, within {@code timeoutSeconds}.
 */
public record HealthCheckDecl(Optional<YamlValue> http, Optional<YamlValue> command, int timeoutSeconds) {
}
