package dev.deploy.fleet;

import dev.deploy.inventory.BatchSize;
import dev.deploy.inventory.CanarySelector;
import dev.deploy.inventory.HostOrder;
import dev.deploy.inventory.RolloutDefaults;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How {@code deploy apply} rolls out: batch size, an optional canary batch, how many failed hosts stop the rollout,
 * whether an aborted rollout returns the hosts it already switched, and the host order. Built from the
 * inventory's {@code rollout} section with the command line's options on top.
 *
 * @param maxFailures explicit limit; when empty, {@link #failureLimit()} decides
 */
public record RolloutPolicy(BatchSize batch, Optional<CanarySelector> canary, OptionalInt maxFailures,
                            boolean rollbackRunOnAbort, HostOrder order) {

    /** Every host in one batch, no limit, inventory order: a plain {@code apply}. */
    public static final RolloutPolicy DEFAULT = new RolloutPolicy(BatchSize.ALL, Optional.empty(),
            OptionalInt.empty(), false, HostOrder.INVENTORY);

    /** The inventory's defaults with each option given on the command line in their place. */
    public static RolloutPolicy of(RolloutDefaults defaults, Optional<BatchSize> batch,
                                   Optional<CanarySelector> canary, OptionalInt maxFailures,
                                   Optional<Boolean> rollbackRunOnAbort, Optional<HostOrder> order) {
        return new RolloutPolicy(
                batch.or(defaults::batch).orElse(BatchSize.ALL),
                canary.or(defaults::canary),
                maxFailures.isPresent() ? maxFailures : defaults.maxFailures(),
                rollbackRunOnAbort.or(defaults::rollbackRunOnAbort).orElse(false),
                order.or(defaults::order).orElse(HostOrder.INVENTORY));
    }

    /** Whether hosts go in more than one step (batches or a canary). */
    public boolean rolling() {
        return batch.rolling() || canary.isPresent();
    }

    /**
     * The failure budget: {@code maxFailures} when given; else 1 for a rolling rollout or with
     * {@code rollbackRunOnAbort} (a rollout stops at its first failed host), else unlimited (every host is tried).
     */
    public FailureBudget failureLimit() {
        if (maxFailures.isPresent()) {
            return FailureBudget.of(maxFailures.getAsInt());
        }
        return rolling() || rollbackRunOnAbort ? FailureBudget.of(1) : FailureBudget.unlimited();
    }
}
