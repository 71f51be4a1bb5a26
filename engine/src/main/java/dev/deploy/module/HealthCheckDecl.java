package dev.deploy.module;

import java.util.Optional;

/**
 * How to tell that a service came up: it is active, and optionally an HTTP URL on the host answers 2xx/3xx or a
 * command (a shell command line: values are quoted as shell words) exits 0, within {@code timeoutSeconds}
 * (1 to {@link #MAX_TIMEOUT_SECONDS}).
 */
public record HealthCheckDecl(Optional<Template> http, Optional<Template> command, int timeoutSeconds) {

    /** The longest health-check timeout: one day. */
    public static final int MAX_TIMEOUT_SECONDS = 86_400;
}
