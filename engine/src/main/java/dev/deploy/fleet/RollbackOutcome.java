package dev.deploy.fleet;

import dev.deploy.plan.HostPlan;
import java.util.List;

/** A rollback on one host: from which generation to which, and the service actions taken. */
public record RollbackOutcome(int from, int to, List<HostPlan.ServiceChange> serviceChanges) {
}
