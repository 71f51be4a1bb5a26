package dev.deploy.fleet;

import dev.deploy.plan.HostPlan;
import dev.deploy.transfer.TransferResult;

/**
 * How an apply ended on one host: the plan it carried out, the generation now current (0 if none), what crossed
 * the wire, and whether a failed health check rolled the host back ({@code failure} says why).
 */
public record ApplyOutcome(HostPlan plan, int generation, TransferResult transfer, boolean rolledBack,
                           String failure) {

    public boolean changed() {
        return plan.hasChanges();
    }

    public boolean failed() {
        return failure != null;
    }
}
