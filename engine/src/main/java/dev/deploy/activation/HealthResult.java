package dev.deploy.activation;

import java.util.List;

/**
 * What the health checks after a switch found: one line per checked service (what was checked, how it answered),
 * and the reason of the first unhealthy service, or null when all are healthy.
 */
public record HealthResult(String failure, List<String> checks) {

    public HealthResult {
        checks = List.copyOf(checks);
    }

    public static HealthResult healthy(List<String> checks) {
        return new HealthResult(null, checks);
    }

    public boolean healthy() {
        return failure == null;
    }
}
