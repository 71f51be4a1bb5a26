package dev.deploy.fleet;

import java.util.List;
import java.util.Optional;

/**
 * What a rollout did: each batch with its hosts' results (in rollout order), and why it stopped early, if it did.
 * Batches never reached are listed too, their hosts {@link HostResult.Skipped}.
 */
public record RolloutReport(List<BatchReport> batches, Optional<Abort> abort) {

    public RolloutReport {
        batches = List.copyOf(batches);
    }

    /** One batch and its hosts' results; {@code started}: whether the rollout reached it. */
    public record BatchReport(Batch batch, boolean started, List<HostResult<ApplyOutcome>> results) {
        public BatchReport {
            results = List.copyOf(results);
        }
    }

    /** Why the rollout stopped starting hosts. */
    public record Abort(Reason reason, int batch, int failures, int limit) {
    }

    public enum Reason {
        /** A host of the canary batch failed. */
        CANARY_FAILED,
        /** {@code limit} hosts failed ({@code --max-failures}, {@code --fail-fast}, a rollout's default of 1). */
        FAILURE_LIMIT
    }

    /** Every host's result, batch after batch. */
    public List<HostResult<ApplyOutcome>> results() {
        return batches.stream().flatMap(b -> b.results().stream()).toList();
    }
}
