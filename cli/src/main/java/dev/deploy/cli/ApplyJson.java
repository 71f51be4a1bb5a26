package dev.deploy.cli;

import dev.deploy.cache.CacheConfig;
import dev.deploy.cli.json.ApplyDocument;
import dev.deploy.cli.json.HostPlanJson;
import dev.deploy.cli.json.Notice;
import dev.deploy.cli.json.Problem;
import dev.deploy.cli.json.Transport;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import dev.deploy.fleet.RolloutReport;
import dev.deploy.host.TransportStats;
import dev.deploy.inventory.Host;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code --json} document of {@code deploy apply} (also the last line of {@code --events ndjson}). Per host:
 * {@code outcome} is the precise {@link Outcome} name; {@code result} the coarse form older consumers read
 * ({@code ok}, {@code rolled-back}, {@code reverted}, {@code failed}, {@code skipped}).
 */
final class ApplyJson {

    private ApplyJson() {
    }

    static ApplyDocument document(RolloutReport report, Function<Host, TransportStats> stats, int exitCode,
                                  List<Notice> sourceNotices, CacheConfig cache) {
        List<ApplyDocument.Batch> batches = new ArrayList<>();
        List<ApplyDocument.Host> hosts = new ArrayList<>();
        for (RolloutReport.BatchReport batch : report.batches()) {
            batches.add(new ApplyDocument.Batch(batch.batch().number(), batch.batch().canary(), batch.started(),
                    batch.batch().hostNames()));
            for (HostResult<ApplyOutcome> result : batch.results()) {
                hosts.add(host(result, batch.batch().number(), Transport.of(stats.apply(result.host())),
                        ContentRoute.of(cache, result.host().name())));
            }
        }
        return new ApplyDocument(exitCode, batches, report.abort().map(ApplyJson::abort).orElse(null),
                outcomes(report.results()), hosts, sourceNotices);
    }

    /** Hosts per outcome label, in the order of {@link Outcome}. */
    static Map<String, Integer> outcomes(List<HostResult<ApplyOutcome>> results) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        results.forEach(r -> counts.merge(Outcome.of(r), 1, Integer::sum));
        Map<String, Integer> labels = new LinkedHashMap<>();
        counts.forEach((outcome, count) -> labels.put(outcome.label(), count));
        return labels;
    }

    private static ApplyDocument.Abort abort(RolloutReport.Abort abort) {
        return new ApplyDocument.Abort(abort.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                abort.batch(), abort.failures(), abort.limit() == Integer.MAX_VALUE ? null : abort.limit());
    }

    private static ApplyDocument.Host host(HostResult<ApplyOutcome> result, int batch, Transport transport,
                                           ContentRoute route) {
        Outcome outcome = Outcome.of(result);
        Optional<ApplyOutcome> value = ApplyReport.outcome(result);
        ApplyOutcome apply = value.orElse(null);
        Integer generation = apply == null ? null : result instanceof HostResult.Undone<ApplyOutcome> undone
                ? undone.rollback().to() : apply.liveGeneration();
        String errorLine = value.flatMap(ApplyOutcome::failure).map(failure -> result.host().name() + ": " + failure)
                .or(() -> HostResults.message(result)).orElse(null);
        ApplyDocument.Rollback rollback = result instanceof HostResult.Undone<ApplyOutcome> undone
                ? new ApplyDocument.Rollback(undone.rollback().from(), undone.rollback().to()) : null;
        Problem problem = JsonDocuments.problem(result);
        if (problem == null && apply != null) {
            problem = problem(result.host().name(), apply);
        }
        return new ApplyDocument.Host(result.host().name(), batch, outcome.label(), coarse(outcome),
                result.duration().toMillis() / 1000.0, generation, apply == null ? null : apply.changed(),
                apply == null ? null : apply.transfer().storePaths(), apply == null ? null : apply.transfer().files(),
                apply == null ? null : apply.transfer().contentBytes(),
                apply == null ? null : apply.transfer().filesReused(),
                apply == null ? null : apply.transfer().bytesReused(), errorLine,
                problem == null ? null : problem.step(), problem == null ? null : problem.detail(), problem,
                apply == null ? null : apply.healthChecks(),
                apply == null ? null : HostPlanJson.of(apply.plan(), route.json()), rollback, transport);
    }

    /**
     * Why an apply that reached the host did not end on the desired generation, as fields: the step named as
     * errors name it ({@code health check}, {@code confirm}, or the step after the switch that failed); null when
     * it succeeded.
     */
    static Problem problem(String host, ApplyOutcome outcome) {
        String step;
        String detail = outcome.failure().orElse(null);
        if (detail == null) {
            return null;
        }
        if (outcome instanceof ApplyOutcome.RolledBack) {
            step = "health check";
        } else if (outcome instanceof ApplyOutcome.Reverted) {
            step = "confirm";
        } else if (outcome instanceof ApplyOutcome.RestoredAfterFailure restored) {
            step = restored.step();
            detail = restored.reason() + "; restored " + ApplyOutcome.generation(restored.liveGeneration());
        } else if (outcome instanceof ApplyOutcome.NotRestored notRestored) {
            step = notRestored.step();
            detail = notRestored.reason() + "; " + notRestored.restoreProblem();
        } else {
            step = null;
        }
        return new Problem("host", host, step, null, null, null, null, detail);
    }

    /** The {@code result} field as it was before {@code outcome} existed. */
    private static String coarse(Outcome outcome) {
        return switch (outcome) {
            case UNCHANGED, APPLIED, OK -> "ok";
            case ROLLED_BACK, ROLLED_BACK_ON_ABORT -> "rolled-back";
            case REVERTED -> "reverted";
            case SKIPPED -> "skipped";
            default -> "failed";
        };
    }
}
