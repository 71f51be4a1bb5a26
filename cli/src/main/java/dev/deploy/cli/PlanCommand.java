package dev.deploy.cli;

import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.plan.HostPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.deploy.source.SourceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deploy plan}: what apply would change on each host, without changing anything. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what 'apply' would change on each selected host: store paths to add (count, bytes),",
            "sources, files and units added (+), changed (~) or removed (-), services to start, restart or stop.",
            "Reads each host's state over one round trip; changes nothing."},
        footer = ExitCodes.HELP)
final class PlanCommand extends HostsCommand {

    @Option(names = "--detailed-exitcode",
            description = "Exit 2 when any host has changes, 0 when none (like terraform plan).")
    boolean detailedExitCode;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
            description = "Hosts planned at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--full", description = "Every changed path, diff line and package, not the first few.")
    boolean full;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Save the plan to FILE (JSON, see docs/SAVED-PLANS.md) for 'deploy apply FILE', which "
                    + "applies exactly it and refuses a host that changed since. Not written when a host could not "
                    + "be planned.")
    java.nio.file.Path outFile;

    @Mixin
    SourceLockOptions lock;

    @Override
    SourceOptions sourceOptions() {
        return lock.options(common.inventory);
    }

    @Override
    public Integer call() {
        try (Deployment deployment = open()) {
            deployment.prepareAll(parallel);
            deployment.sources().checkUpstream();
            List<SourceNotices.Line> notices = SourceNotices.of(deployment, lock.frozen);
            if (!common.json) {
                SourceNotices.print(err(), notices);
            }
            List<HostResult<HostPlan>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "plan", (host, events) -> deployment.plan(host.host()));
            List<HostPlan> plans = new ArrayList<>();
            for (HostResult<HostPlan> result : results) {
                if (result instanceof HostResult.Done<HostPlan> done) {
                    plans.add(done.value());
                }
            }
            if (common.json) {
                Map<String, Object> doc = Json.document("plan");
                List<Object> hosts = new ArrayList<>();
                for (HostResult<HostPlan> result : results) {
                    Map<String, Object> host = new LinkedHashMap<>();
                    if (result instanceof HostResult.Done<HostPlan> done) {
                        host.putAll(Json.plan(done.value()));
                        done.value().diff().ifPresent(diff -> host.put("diff", PlanDiffJson.of(diff)));
                    } else {
                        host.put("host", result.host().name());
                        host.put("outcome", dev.deploy.fleet.Outcome.of(result).label());
                        host.put("error", HostResults.message(result).orElse(null));
                    }
                    host.put("transport", Json.transport(deployment.stats(result.host())));
                    hosts.add(host);
                }
                doc.put("hosts", hosts);
                doc.put("sourceNotices", SourceNotices.json(notices));
                boolean anyChanges = plans.stream().anyMatch(HostPlan::hasChanges);
                int failedHosts = results.size() - plans.size();
                // unknown (null), not false, when a host could not be read and none of the others has changes
                doc.put("changes", anyChanges || failedHosts == 0 ? anyChanges : null);
                doc.put("complete", failedHosts == 0);
                doc.put("failedHosts", failedHosts);
                printJson(doc);
            } else {
                PlanPrinter printer = new PlanPrinter(out(), style(), full);
                SshOriginsPrinter origins = new SshOriginsPrinter(out(), common.acceptNewHostKeys,
                        common.connectTimeout());
                for (HostResult<HostPlan> result : results) {
                    if (result instanceof HostResult.Done<HostPlan> done) {
                        printer.print(done.value());
                        if (common.verbose) {
                            origins.print(result.host());
                        }
                    }
                }
                HostResults.printErrors(results, err(), common.verbose);
                printer.summary(plans, results.size() - plans.size());
            }
            if (outFile != null) {
                if (plans.size() < results.size()) {
                    err().println("deploy: plan: " + outFile + " not written: " + (results.size() - plans.size())
                            + " host(s) could not be planned");
                } else {
                    SavedPlanFile.write(outFile, plans, common.inventory);
                    if (!common.json) {
                        out().println("Saved the plan to " + outFile + "; apply exactly it with: deploy apply "
                                + outFile);
                    }
                }
            }
            out().flush();
            int code = HostResults.exitCode(results);
            if (code == ExitCodes.OK && detailedExitCode && plans.stream().anyMatch(HostPlan::hasChanges)) {
                return ExitCodes.CHANGES;
            }
            return code;
        }
    }
}
