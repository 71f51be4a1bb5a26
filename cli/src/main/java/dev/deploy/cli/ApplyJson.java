package dev.deploy.cli;

import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import dev.deploy.fleet.RolloutReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --json} document of {@code deploy apply} (also the last line of {@code --events ndjson}). Per host:
 * {@code outcome} is the precise {@link Outcome} name; {@code result} the coarse form older consumers read
 * ({@code ok}, {@code rolled-back}, {@code reverted}, {@code failed}, {@code skipped}).
 */
final class ApplyJson {

    private ApplyJson() {
    }

    static Map<String, Object> document(RolloutReport report, Deployment deployment) {
        Map<String, Object> doc = Json.document("apply");
        List<Object> batches = new ArrayList<>();
        for (RolloutReport.BatchReport batch : report.batches()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("number", batch.batch().number());
            item.put("canary", batch.batch().canary());
            item.put("started", batch.started());
            item.put("hosts", batch.batch().hostNames());
            batches.add(item);
        }
        doc.put("batches", batches);
        doc.put("aborted", report.abort().map(ApplyJson::abort).orElse(null));
        Map<String, Integer> counts = new LinkedHashMap<>();
        report.results().forEach(r -> counts.merge(Outcome.of(r).label(), 1, Integer::sum));
        doc.put("outcomes", counts);
        List<Object> hosts = new ArrayList<>();
        for (RolloutReport.BatchReport batch : report.batches()) {
            for (HostResult<ApplyOutcome> result : batch.results()) {
                hosts.add(host(result, batch.batch().number(), deployment));
            }
        }
        doc.put("hosts", hosts);
        return doc;
    }

    private static Map<String, Object> abort(RolloutReport.Abort abort) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("reason", abort.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        item.put("batch", abort.batch());
        item.put("failures", abort.failures());
        item.put("limit", abort.limit() == Integer.MAX_VALUE ? null : abort.limit());
        return item;
    }

    private static Map<String, Object> host(HostResult<ApplyOutcome> result, int batch, Deployment deployment) {
        Outcome outcome = Outcome.of(result);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("host", result.host().name());
        host.put("batch", batch);
        host.put("outcome", outcome.label());
        host.put("result", coarse(outcome));
        host.put("durationSeconds", result.duration().toMillis() / 1000.0);
        Optional<ApplyOutcome> value = ApplyReport.outcome(result);
        if (value.isPresent()) {
            ApplyOutcome apply = value.get();
            host.put("generation", result instanceof HostResult.Undone<ApplyOutcome> undone
                    ? undone.rollback().to() : apply.liveGeneration());
            host.put("changed", apply.changed());
            host.put("storePathsSent", apply.transfer().storePaths());
            host.put("filesSent", apply.transfer().files());
            host.put("bytesSent", apply.transfer().contentBytes());
            host.put("filesReused", apply.transfer().filesReused());
            host.put("bytesReused", apply.transfer().bytesReused());
            host.put("error", apply.failure().map(failure -> result.host().name() + ": " + failure)
                    .or(() -> HostResults.message(result)).orElse(null));
            host.put("healthChecks", apply.healthChecks());
            host.put("plan", Json.plan(apply.plan()));
        } else {
            host.put("error", HostResults.message(result).orElse(null));
        }
        HostResults.error(result).ifPresent(error -> {
            host.put("step", error.step().orElse(null));
            host.put("detail", error.detail());
        });
        if (result instanceof HostResult.Undone<ApplyOutcome> undone) {
            host.put("rollback", Map.of("from", undone.rollback().from(), "to", undone.rollback().to()));
        }
        host.put("transport", Json.transport(deployment.stats(result.host())));
        return host;
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
