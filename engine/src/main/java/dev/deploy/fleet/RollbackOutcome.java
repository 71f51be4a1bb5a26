package dev.deploy.fleet;

import dev.deploy.plan.HostPlan;
import java.util.List;

/**
 * A rollback on one host: from which generation to which, the service actions taken, and one line per
 * health-checked service.
 */
public record RollbackOutcome(int from, int to, List<HostPlan.ServiceChange> serviceChanges,
                              List<String> healthChecks) {
}
