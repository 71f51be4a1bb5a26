package dev.deploy.fleet;

import dev.deploy.plan.HostPlan;
import java.util.List;

/**
 * A rollback on one host: from which generation to which, the service changes between them, whether the switch
 * acted on them ({@code servicesStarted}: started, restarted, stopped by systemd; false on a host that only records
 * services, such as a local target without {@code services: systemd}), and one line per health-checked service.
 */
public record RollbackOutcome(int from, int to, List<HostPlan.ServiceChange> serviceChanges,
                              boolean servicesStarted, List<String> healthChecks) {
}
