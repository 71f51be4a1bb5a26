package dev.deploy.module;

import java.util.Optional;

/** A service's evaluated health check: an HTTP URL on the host and/or a command, and a timeout in seconds. */
public record HealthCheck(Optional<String> http, Optional<String> command, int timeoutSeconds) {
}
