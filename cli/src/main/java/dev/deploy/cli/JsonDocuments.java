package dev.deploy.cli;

import dev.deploy.cache.CacheConfig;
import dev.deploy.DeployException;
import dev.deploy.activation.GarbageCollector;
import dev.deploy.activation.GenerationInfo;
import dev.deploy.cli.json.GcDocument;
import dev.deploy.cli.json.GenerationsDocument;
import dev.deploy.cli.json.HostPlanJson;
import dev.deploy.cli.json.Notice;
import dev.deploy.cli.json.PlanDocument;
import dev.deploy.cli.json.Problem;
import dev.deploy.cli.json.RollbackDocument;
import dev.deploy.cli.json.Transport;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import dev.deploy.fleet.RollbackOutcome;
import dev.deploy.host.TransportStats;
import dev.deploy.inventory.Host;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Builds the {@code --json} documents of plan, rollback, generations and gc from the executor's results (apply's
 * is {@link ApplyJson}). {@code stats} gives what crossed each host's connection.
 */
final class JsonDocuments {

    private JsonDocuments() {
    }

    static PlanDocument plan(List<HostResult<HostPlan>> results, Function<Host, TransportStats> stats, int exitCode,
                             List<Notice> sourceNotices, CacheConfig cache) {
        List<PlanDocument.Host> hosts = new ArrayList<>();
        boolean changes = false;
        int failed = 0;
        for (HostResult<HostPlan> result : results) {
            Transport transport = Transport.of(stats.apply(result.host()));
            if (result instanceof HostResult.Done<HostPlan> done) {
                hosts.add(PlanDocument.Host.planned(HostPlanJson.of(done.value(),
                        ContentRoute.of(cache, result.host().name()).json()), transport));
                changes |= done.value().hasChanges();
            } else {
                failed++;
                hosts.add(PlanDocument.Host.failed(result.host().name(), outcome(result), error(result),
                        problem(result), transport));
            }
        }
        return new PlanDocument(exitCode, hosts, changes, failed, sourceNotices);
    }

    static RollbackDocument rollback(List<HostResult<RollbackOutcome>> results, Function<Host, TransportStats> stats,
                                     int exitCode) {
        List<RollbackDocument.Host> hosts = new ArrayList<>();
        for (HostResult<RollbackOutcome> result : results) {
            Transport transport = Transport.of(stats.apply(result.host()));
            String name = result.host().name();
            if (result instanceof HostResult.Done<RollbackOutcome> done) {
                RollbackOutcome rollback = done.value();
                List<String> services = rollback.serviceChanges().stream()
                        .map(c -> c.action().name().toLowerCase(Locale.ROOT) + " " + c.service()).toList();
                hosts.add(new RollbackDocument.Host(name, "ok", outcome(result), rollback.from(), rollback.to(),
                        services, rollback.servicesStarted(), rollback.healthChecks(), null, null, transport));
            } else {
                hosts.add(new RollbackDocument.Host(name, "failed", outcome(result), null, null, null, null, null,
                        error(result), problem(result), transport));
            }
        }
        return new RollbackDocument(exitCode, hosts);
    }

    static GenerationsDocument generations(List<HostResult<List<GenerationInfo>>> results,
                                           Function<Host, TransportStats> stats, int exitCode) {
        List<GenerationsDocument.Host> hosts = new ArrayList<>();
        for (HostResult<List<GenerationInfo>> result : results) {
            Transport transport = Transport.of(stats.apply(result.host()));
            List<GenerationsDocument.Generation> generations = result instanceof HostResult.Done<List<GenerationInfo>> done
                    ? done.value().stream().map(JsonDocuments::generation).toList() : null;
            hosts.add(new GenerationsDocument.Host(result.host().name(), outcome(result), generations, error(result),
                    problem(result), transport));
        }
        return new GenerationsDocument(exitCode, hosts);
    }

    static GcDocument gc(List<HostResult<GarbageCollector.Collection>> results, boolean dryRun,
                         Function<Host, TransportStats> stats, int exitCode) {
        List<GcDocument.Host> hosts = new ArrayList<>();
        for (HostResult<GarbageCollector.Collection> result : results) {
            Transport transport = Transport.of(stats.apply(result.host()));
            if (result instanceof HostResult.Done<GarbageCollector.Collection> done) {
                hosts.add(new GcDocument.Host(result.host().name(), outcome(result), dryRun,
                        done.value().generations(), done.value().storePaths().stream().map(Object::toString).toList(),
                        done.value().secretVersions(), null, null, transport));
            } else {
                hosts.add(new GcDocument.Host(result.host().name(), outcome(result), null, null, null, null,
                        error(result), problem(result), transport));
            }
        }
        return new GcDocument(exitCode, hosts);
    }

    private static GenerationsDocument.Generation generation(GenerationInfo info) {
        GenerationManifest manifest = info.manifest();
        return new GenerationsDocument.Generation(info.number(), info.current(), info.failure().orElse(null),
                manifest == null ? null : manifest.createdAt(), manifest == null ? null : manifest.roots(),
                manifest == null ? null : manifest.origins(),
                manifest == null ? null : List.copyOf(manifest.services().keySet()));
    }

    static String outcome(HostResult<?> result) {
        return Outcome.of(result).label();
    }

    /** The error line of a host that failed ({@code web1: lock: ...}); null otherwise. */
    static String error(HostResult<?> result) {
        return HostResults.message(result).orElse(null);
    }

    /** The error of a host that failed, as fields; null otherwise. */
    static Problem problem(HostResult<?> result) {
        return HostResults.error(result).map(e -> problem(e, result.host().name())).orElse(null);
    }

    static Problem problem(DeployException error, String host) {
        return Problem.of(error, host);
    }
}
