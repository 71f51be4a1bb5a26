package dev.deploy.fleet;

import dev.deploy.DeployException;
import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code apply} batch after batch. A batch starts only when every host of the one before has ended (switched,
 * health-checked, rolled back if it had to be) and the rollout has not been aborted; the rollout is aborted when a
 * canary host fails or when the failure budget is used up ({@link RolloutPolicy#failureLimit()}; with its default
 * of 1 for a rolling rollout, a batch must end with every host healthy for the next to start). Hosts not started are
 * skipped. With {@code rollbackRunOnAbort}, an aborted rollout then returns every host it switched to their previous
 * generation.
 *
 * <p>Emits {@link DeployEvent.BatchStarted} and {@link DeployEvent.BatchFinished} around each batch it starts, and
 * {@link DeployEvent.RolledBack} for each host it returns on abort.
 */
public final class Rollout {

    private final FleetExecutor executor;
    private final RolloutPolicy policy;

    public Rollout(FleetExecutor executor, RolloutPolicy policy) {
        this.executor = executor;
        this.policy = policy;
    }

    /** Runs {@code apply} over {@code batches} (from {@link BatchPlanner}). */
    public RolloutReport run(List<Batch> batches, HostTask<ApplyOutcome> apply) {
        EventSink events = executor.events();
        FailureBudget budget = policy.failureLimit();
        List<RolloutReport.BatchReport> reports = new ArrayList<>();
        Optional<RolloutReport.Abort> abort = Optional.empty();
        for (Batch batch : batches) {
            if (abort.isPresent()) {
                reports.add(new RolloutReport.BatchReport(batch, false,
                        batch.hosts().stream().<HostResult<ApplyOutcome>>map(HostResult.Skipped::new).toList()));
                continue;
            }
            events.accept(new DeployEvent.BatchStarted(Instant.now(), batch.number(), batch.hostNames()));
            List<HostResult<ApplyOutcome>> results = executor.run(batch.hosts(), "apply", apply, budget);
            List<String> failed = results.stream().filter(r -> Outcome.of(r).failing())
                    .map(r -> r.host().name()).toList();
            events.accept(new DeployEvent.BatchFinished(Instant.now(), batch.number(), failed));
            reports.add(new RolloutReport.BatchReport(batch, true, results));
            int limit = budget.limit().orElse(Integer.MAX_VALUE);
            if (batch.canary() && !failed.isEmpty()) {
                abort = Optional.of(new RolloutReport.Abort(RolloutReport.Reason.CANARY_FAILED, batch.number(),
                        budget.failures(), limit));
            } else if (budget.exhausted()) {
                abort = Optional.of(new RolloutReport.Abort(RolloutReport.Reason.FAILURE_LIMIT, batch.number(),
                        budget.failures(), limit));
            }
        }
        if (abort.isPresent() && policy.rollbackRunOnAbort()) {
            reports = undo(reports);
        }
        return new RolloutReport(reports, abort);
    }

    /** Returns every host this run switched ({@link ApplyOutcome.Applied}) to the generation it had before. */
    private List<RolloutReport.BatchReport> undo(List<RolloutReport.BatchReport> reports) {
        List<HostResult.Done<ApplyOutcome>> switched = new ArrayList<>();
        for (RolloutReport.BatchReport report : reports) {
            for (HostResult<ApplyOutcome> result : report.results()) {
                if (result instanceof HostResult.Done<ApplyOutcome> done
                        && done.value() instanceof ApplyOutcome.Applied) {
                    switched.add(done);
                }
            }
        }
        Map<String, HostResult<ApplyOutcome>> undone = new HashMap<>();
        Map<String, HostResult.Done<ApplyOutcome>> byHost = new HashMap<>();
        switched.forEach(done -> byHost.put(done.host().name(), done));
        // Each host already reported its end (host-finished); only the rollback itself is news.
        EventSink events = executor.events();
        FleetExecutor quiet = executor.withEvents(event -> {
            if (event instanceof DeployEvent.RolledBack) {
                events.accept(event);
            }
        });
        List<HostResult<RollbackOutcome>> rollbacks = quiet.run(switched.stream().map(HostResult::host).toList(),
                "roll back", (host, sink) -> rollBack(host, sink, byHost.get(host.host().name())));
        for (HostResult<RollbackOutcome> rollback : rollbacks) {
            HostResult.Done<ApplyOutcome> done = byHost.get(rollback.host().name());
            undone.put(rollback.host().name(), rollback instanceof HostResult.Done<RollbackOutcome> ok
                    ? new HostResult.Undone<>(done.host(), done.value(), ok.value(), done.duration())
                    : new HostResult.UndoFailed<>(done.host(), done.value(), errorOf(rollback), done.duration()));
        }
        List<RolloutReport.BatchReport> out = new ArrayList<>();
        for (RolloutReport.BatchReport report : reports) {
            out.add(new RolloutReport.BatchReport(report.batch(), report.started(), report.results().stream()
                    .map(r -> undone.getOrDefault(r.host().name(), r)).toList()));
        }
        return out;
    }

    private static RollbackOutcome rollBack(HostDeployer host, EventSink events, HostResult.Done<ApplyOutcome> done) {
        ApplyOutcome.Applied applied = (ApplyOutcome.Applied) done.value();
        int previous = applied.plan().state().currentNumber().orElseThrow(() -> DeployException.host(
                host.host().name(), "roll back", "generation " + applied.liveGeneration()
                        + " is the host's first; there is no earlier generation to return to"));
        RollbackOutcome outcome = host.rollback(Optional.of(previous));
        events.accept(new DeployEvent.RolledBack(Instant.now(), host.host().name(), outcome.from(), outcome.to(),
                false, "rollout aborted"));
        return outcome;
    }

    private static DeployException errorOf(HostResult<?> result) {
        if (result instanceof HostResult.Failed<?> failed) {
            return failed.error();
        }
        if (result instanceof HostResult.Unreachable<?> unreachable) {
            return unreachable.error();
        }
        if (result instanceof HostResult.Locked<?> locked) {
            return locked.error();
        }
        return DeployException.host(result.host().name(), "roll back", "not rolled back (" + Outcome.of(result)
                .label() + ")");
    }
}
