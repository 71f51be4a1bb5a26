package dev.deploy.cli;

import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Deployment;
import dev.deploy.transfer.TransferProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy apply}: push what each host lacks, switch it to the new generation, restart what changed. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Bring each selected host to the inventory's state: take the host's lock, push the store",
            "paths it lacks (verified before they get their final name), write a new generation, switch 'current'",
            "to it in one rename, restart the services whose units changed and check their health. A failed",
            "health check rolls the host back to its previous generation. Hosts without changes are left alone."},
        footer = ExitCodes.HELP)
final class ApplyCommand extends HostsCommand {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Hosts deployed at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--fail-fast", description = "After the first failed host, start no more hosts.")
    boolean failFast;

    @Override
    public Integer call() {
        try (Deployment deployment = open()) {
            deployment.prepareAll(parallel);
            Map<String, Long> lastReport = new ConcurrentHashMap<>();
            TransferProgress progress = (host, bytes, total, files, totalFiles) -> {
                long now = System.nanoTime();
                Long last = lastReport.get(host);
                if (!common.json && (files == totalFiles || last == null || now - last > 1_000_000_000L)) {
                    lastReport.put(host, now);
                    err.printf("%s: sent %d/%d files, %s of %s%n", host, files, totalFiles, Style.bytes(bytes),
                            Style.bytes(total));
                }
            };
            List<FleetRunner.HostResult<ApplyOutcome>> results = FleetRunner.run(deployment.hosts(), parallel,
                    failFast, host -> deployment.on(host).apply(deployment.desired(host), progress));
            if (common.json) {
                Map<String, Object> doc = json(results, deployment);
                CacheView.addToApply(doc, deployment.binaryCache());
                printJson(doc);
            } else {
                printTable(results);
                CacheView.printApply(err, results.stream().map(r -> r.host().name()).toList(),
                        deployment.binaryCache());
            }
            int code = FleetRunner.exitCode(results);
            boolean rolledBack = results.stream().anyMatch(r -> r.ok() && !r.value().succeeded());
            return code == ExitCodes.OK && rolledBack ? ExitCodes.HOST_FAILED : code;
        }
    }

    private void printTable(List<FleetRunner.HostResult<ApplyOutcome>> results) {
        Style style = style();
        PlanPrinter printer = new PlanPrinter(out, style);
        for (FleetRunner.HostResult<ApplyOutcome> result : results) {
            if (result.ok() && result.value().changed()) {
                printer.print(result.value().plan());
            }
        }
        out.println();
        out.printf("%-20s %-10s %-8s %-9s %-12s %-8s %s%n", "HOST", "GENERATION", "CHANGED", "SENT", "REUSED", "TIME",
                "RESULT");
        for (FleetRunner.HostResult<ApplyOutcome> result : results) {
            String name = result.host().name();
            String time = seconds(result.duration());
            if (result.skipped()) {
                out.printf("%-20s %-10s %-8s %-9s %-12s %-8s %s%n", name, "-", "-", "-", "-", "-",
                        style.yellow("skipped (--fail-fast)"));
            } else if (!result.ok()) {
                out.printf("%-20s %-10s %-8s %-9s %-12s %-8s %s%n", name, "-", "-", "-", "-", time, style.red("FAILED"));
                err.println("deploy: error: " + result.error().getMessage());
            } else {
                ApplyOutcome outcome = result.value();
                String state = outcome instanceof ApplyOutcome.RolledBack ? style.red("ROLLED BACK")
                        : outcome instanceof ApplyOutcome.Reverted ? style.red("REVERTED")
                        : !outcome.succeeded() ? style.red("FAILED")
                        : outcome.changed() ? style.green("ok") : "ok (no changes)";
                out.printf("%-20s %-10s %-8s %-9s %-12s %-8s %s%n", name,
                        outcome.liveGeneration() == 0 ? "-" : outcome.liveGeneration(), outcome.changed() ? "yes" : "no",
                        Style.bytes(outcome.transfer().contentBytes()), outcome.transfer().filesReused() + " files",
                        time, state);
                for (String check : outcome.healthChecks()) {
                    if (outcome.succeeded() || !outcome.failure().orElseThrow().startsWith(check)) {
                        err.println(name + ": health: " + check);
                    }
                }
                if (!outcome.succeeded()) {
                    err.println("deploy: error: " + name + ": health check: " + outcome.failure().orElseThrow());
                }
            }
        }
    }

    private static Map<String, Object> json(List<FleetRunner.HostResult<ApplyOutcome>> results,
                                            Deployment deployment) {
        Map<String, Object> doc = Json.document("apply");
        List<Object> hosts = new ArrayList<>();
        for (FleetRunner.HostResult<ApplyOutcome> result : results) {
            Map<String, Object> host = new LinkedHashMap<>();
            host.put("host", result.host().name());
            host.put("durationSeconds", result.duration().toMillis() / 1000.0);
            if (result.skipped()) {
                host.put("result", "skipped");
            } else if (!result.ok()) {
                host.put("result", "failed");
                host.put("error", result.error().getMessage());
            } else {
                ApplyOutcome outcome = result.value();
                host.put("result", outcome instanceof ApplyOutcome.RolledBack ? "rolled-back"
                        : outcome instanceof ApplyOutcome.Reverted ? "reverted"
                        : outcome.succeeded() ? "ok" : "failed");
                host.put("generation", outcome.liveGeneration());
                host.put("changed", outcome.changed());
                host.put("storePathsSent", outcome.transfer().storePaths());
                host.put("filesSent", outcome.transfer().files());
                host.put("bytesSent", outcome.transfer().contentBytes());
                host.put("filesReused", outcome.transfer().filesReused());
                host.put("bytesReused", outcome.transfer().bytesReused());
                host.put("error", outcome.failure().orElse(null));
                host.put("healthChecks", outcome.healthChecks());
                host.put("plan", Json.plan(outcome.plan()));
            }
            host.put("transport", Json.transport(deployment.stats(result.host())));
            hosts.add(host);
        }
        doc.put("hosts", hosts);
        return doc;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
