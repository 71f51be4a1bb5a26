package dev.deploy.fleet;

import dev.deploy.plan.HostPlan;
import dev.deploy.transfer.TransferResult;
import java.util.List;
import java.util.Optional;

/**
 * How an apply that reached a host ended: one of a closed set. Every case carries the plan it carried out, what
 * crossed the wire, the generation live on the host when the apply ended ({@code 0}: none) and one line per
 * health-checked service. Failures before the switch are not outcomes but exceptions (nothing on the host changed).
 */
public sealed interface ApplyOutcome {

    HostPlan plan();

    TransferResult transfer();

    /** The generation live when the apply ended; 0 when the host has none. */
    int liveGeneration();

    /** One line per health-checked service, in order. */
    List<String> healthChecks();

    /** Whether the host ended on the desired generation (or already was on it). */
    default boolean succeeded() {
        return this instanceof Unchanged || this instanceof Applied;
    }

    /** Why the host is not on the desired generation; empty when it is. */
    Optional<String> failure();

    /**
     * {@code generation N}, or for 0 (a host's first generation was undone) {@code no generation (as before)}.
     */
    static String generation(int number) {
        return number == 0 ? "no generation (as before)" : "generation " + number;
    }

    default boolean changed() {
        return plan().hasChanges();
    }

    /** The host already had the desired generation; nothing was sent or switched. */
    record Unchanged(HostPlan plan, int liveGeneration) implements ApplyOutcome {
        @Override
        public TransferResult transfer() {
            return TransferResult.NOTHING;
        }

        @Override
        public List<String> healthChecks() {
            return List.of();
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }
    }

    /** The host switched to {@code liveGeneration} and its started or restarted services are healthy. */
    record Applied(HostPlan plan, int liveGeneration, TransferResult transfer, List<String> healthChecks)
            implements ApplyOutcome {
        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }
    }

    /**
     * A health check failed after the switch to {@code failedGeneration}; the controller switched the host back to
     * {@code liveGeneration}. {@code reason} names the service and its last answer; {@code restoreProblem}, when
     * present, says the restored generation's services are not healthy either.
     */
    record RolledBack(HostPlan plan, int failedGeneration, int liveGeneration, TransferResult transfer, String reason,
                      Optional<String> restoreProblem, List<String> healthChecks) implements ApplyOutcome {
        @Override
        public Optional<String> failure() {
            return Optional.of(reason + "; rolled back to " + generation(liveGeneration)
                    + restoreProblem.map(p -> "; generation " + liveGeneration + " is not healthy either: " + p)
                    .orElse(""));
        }
    }

    /**
     * The controller did not confirm {@code failedGeneration} in time (connection lost, controller killed, sshd
     * broken by the new generation), so the host's own watchdog switched it back to {@code liveGeneration}.
     */
    record Reverted(HostPlan plan, int failedGeneration, int liveGeneration, TransferResult transfer, String reason,
                    List<String> healthChecks) implements ApplyOutcome {
        @Override
        public Optional<String> failure() {
            return Optional.of(reason + "; reverted by the host to " + generation(liveGeneration)
                    + " (not confirmed)");
        }
    }

    /**
     * A step after the switch failed (unit links, daemon-reload, a service action) and the host was restored to
     * {@code liveGeneration}, its unit links and service states included.
     */
    record RestoredAfterFailure(HostPlan plan, int failedGeneration, int liveGeneration, TransferResult transfer,
                                String step, String reason, List<String> healthChecks) implements ApplyOutcome {
        @Override
        public Optional<String> failure() {
            return Optional.of(step + ": " + reason + "; restored " + generation(liveGeneration));
        }
    }

    /**
     * The new generation failed after the switch and could not be undone: the host is left on
     * {@code liveGeneration}, which is not the desired one or not healthy, and needs attention.
     */
    record NotRestored(HostPlan plan, int liveGeneration, TransferResult transfer, String step, String reason,
                       String restoreProblem, List<String> healthChecks) implements ApplyOutcome {
        @Override
        public Optional<String> failure() {
            return Optional.of(step + ": " + reason + "; " + restoreProblem);
        }
    }
}
