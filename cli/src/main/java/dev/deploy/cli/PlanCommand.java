package dev.deploy.cli;

import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.plan.HostPlan;
import dev.deploy.source.SourceOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deploy plan}: what apply would change on each host, without changing anything. */
@Command(name = "plan",
        header = "Show what apply would change on each host; changes no host.",
        description = {"For each selected host: the store paths to add (count, bytes); the sources, files, units and "
                + "venvs added (+), changed (~) or removed (-), each venv with its packages and what apply will "
                + "download; the services to start, restart or stop (on a host that starts no services, such as a "
                + "local target without 'services: systemd', they are only recorded); a live generation marked "
                + "failed. Reads each host's state in one round trip and changes nothing on it.",
            "",
            "Git sources are deployed at the commits deploy.lock pins; a source without a pin is resolved and "
                + "pinned (the lock file is written, a note on stderr says so; never with --frozen).",
            "",
            "A last line sums up the plan; when a host could not be read it says 'Plan: incomplete.' and the exit "
                + "code is 1."})
final class PlanCommand extends HostsCommand {

    @Option(names = "--detailed-exitcode", order = 1,
            description = "Exit 2 when any host has changes, 0 when none (like terraform plan).")
    boolean detailedExitCode;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8", order = 2,
            description = "Hosts planned at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--full", description = "Every changed path, diff line and package, not the first few.")
    boolean full;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Save the plan to FILE (versioned JSON, see the README) for 'deploy apply FILE', which "
                    + "applies exactly it and refuses a host that changed since. Not written when a host could not "
                    + "be planned.")
    java.nio.file.Path outFile;

    @Mixin
    SourceLockOptions lock;

    @Override
    SourceOptions sourceOptions() {
        return lock.options(common.inventoryFile());
    }

    @Override
    public Integer call() {
        parallel(parallel);
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
            int code = HostResults.exitCode(results);
            if (code == ExitCodes.OK && detailedExitCode && plans.stream().anyMatch(HostPlan::hasChanges)) {
                code = ExitCodes.CHANGES;
            }
            if (common.json) {
                printJson(JsonDocuments.plan(results, deployment::stats, code, SourceNotices.json(notices),
                        deployment.binaryCache().config()));
            } else {
                PlanPrinter printer = new PlanPrinter(out(), style(), full,
                        deployment.binaryCache().config());
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
                    plans.stream().filter(p -> !p.desired().secrets().isEmpty() && p.state().secrets().key().isEmpty())
                            .forEach(p -> err().println("deploy: warning: " + outFile + ": " + p.host().name()
                                    + ": the host has no secret key yet, so the plan does not pin secret values;"
                                    + " apply sends the values read then"));
                    if (!common.json) {
                        out().println("Saved the plan to " + outFile + "; apply exactly it with: deploy apply "
                                + outFile);
                    }
                }
            }
            out().flush();
            return code;
        }
    }
}
