package dev.deploy.activation;

import java.util.List;

/**
 * What the health checks after a switch found: one {@link Check} per checked service, in order, and the reason of
 * the first unhealthy service, or null when all are healthy.
 */
public record HealthResult(String failure, List<Check> services) {

    /**
     * One service's check: healthy (it answered as expected) or not, one line saying what was checked and how it
     * answered, and the polls. On a host that starts no services an unhealthy check is only reported: the result
     * stays {@link #healthy()}, which is what decides a rollback.
     */
    public record Check(String service, boolean healthy, String line, int polls) {
    }

    public HealthResult {
        services = List.copyOf(services);
    }

    public static HealthResult healthy(List<Check> services) {
        return new HealthResult(null, services);
    }

    public boolean healthy() {
        return failure == null;
    }

    /** One line per checked service, in order. */
    public List<String> checks() {
        return services.stream().map(Check::line).toList();
    }
}
