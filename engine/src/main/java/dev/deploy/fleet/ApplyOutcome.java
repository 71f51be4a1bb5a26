package dev.deploy.fleet;

import dev.deploy.plan.HostPlan;
import dev.deploy.transfer.TransferResult;
import java.util.List;

/**
 * How an apply ended on one host: the plan it carried out, the generation now current (0 if none), what crossed
 * the wire, whether a failed health check rolled the host back ({@code failure} says why), and one line per
 * health-checked service.
 */
public record ApplyOutcome(HostPlan plan, int generation, TransferResult transfer, boolean rolledBack,
                           String failure, List<String> healthChecks) {

    public boolean changed() {
        return plan.hasChanges();
    }

    public boolean failed() {
        return failure != null;
    }
}
