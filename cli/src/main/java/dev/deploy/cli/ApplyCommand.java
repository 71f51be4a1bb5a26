package dev.deploy.cli;

import dev.deploy.event.EventSink;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Batch;
import dev.deploy.fleet.BatchPlanner;
import dev.deploy.DeployException;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.FleetExecutor;
import dev.deploy.fleet.HostTask;
import dev.deploy.fleet.ProgressEvents;
import dev.deploy.fleet.Rollout;
import dev.deploy.fleet.RolloutPolicy;
import dev.deploy.fleet.RolloutReport;
import dev.deploy.inventory.BatchSize;
import dev.deploy.inventory.CanarySelector;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostOrder;
import dev.deploy.source.SourceOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code deploy apply}: push what each host lacks, switch it to the new generation, restart what changed. */
@Command(name = "apply",
        header = "Push what each host lacks and switch it to a new generation.",
        description = {"First builds the venvs the hosts lack (from the files uv.lock names), so that a failed "
                + "download or build changes no host. Then, for each selected host: take its lock, push the store paths it lacks "
                + "(verified before they get their final name), write a new generation, switch 'current' to it in "
                + "one rename, restart the services whose units changed and check their health. Any failure after "
                + "the switch (a health check, a unit, a lost connection) returns the host to its previous "
                + "generation; over SSH the host also returns by itself unless deploy confirms the new generation "
                + "over a new connection (magic rollback). Hosts without changes are left alone. A local target "
                + "without 'services: systemd' only records services; it starts none.",
            "",
            "Rolling rollouts: --batch deploys a few hosts at a time (after an optional --canary batch); a batch "
                + "starts only when every host of the one before has ended and fewer than --max-failures hosts have "
                + "failed (default 1 for a rolling rollout, so every host of a batch must end healthy).",
            "",
            "The run ends with a table of every host (generation, changed, bytes sent, files reused, time, result) "
                + "and a summary line, whatever happened to the hosts."})
final class ApplyCommand extends HostsCommand {

    /** Formats of {@code --events}. */
    enum EventFormat { ndjson }

    @Option(names = "--verify", description = "Check every file of every live store path against its SHA-256 (as"
            + " 'status --verify' does) and send damaged paths again; default: entries, modes and mtimes only.")
    boolean verify;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", order = 1,
            description = "Hosts deployed at the same time, within a batch (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--fail-fast", order = 5, description = "After the first failed host, start no more hosts "
            + "(same as --max-failures 1). A failed health check is a failure.")
    boolean failFast;

    @Option(names = "--max-failures", paramLabel = "K", order = 4,
            description = "Start no more hosts once K hosts have failed (default: no limit; 1 with --batch, "
                    + "--canary or --rollback-run-on-abort). Inventory: rollout: {maxFailures: K}.")
    Integer maxFailures;

    @Option(names = "--batch", paramLabel = "N|P%", order = 2,
            description = "Deploy N hosts (or P%% of the selected hosts, at least 1) per batch, one batch after "
                    + "another. Inventory: rollout: {batch: N}.")
    String batch;

    @Option(names = "--canary", paramLabel = "N|@TAG", order = 3,
            description = "Deploy the first N hosts, or the hosts with TAG, as a batch of their own first; any "
                    + "failure there stops the rollout. Inventory: rollout: {canary: N}.")
    String canary;

    @Option(names = "--order", paramLabel = "ORDER", order = 7,
            description = "Order of hosts: inventory (groups as declared, then hosts; default), hosts (the hosts "
                    + "section's order) or name. Inventory: rollout: {order: ORDER}.")
    String order;

    @Option(names = "--rollback-run-on-abort", order = 6,
            description = "When the rollout stops because of failures, return every host it already switched to "
                    + "its previous generation. Inventory: rollout: {rollbackRunOnAbort: true}.")
    boolean rollbackRunOnAbort;

    @Option(names = "--events", paramLabel = "FORMAT", order = 8,
            description = "Write events to stdout as they happen: ndjson (one JSON object per line; the last line "
                    + "is the result). Instead of the table; not with --json.")
    EventFormat events;

    @picocli.CommandLine.Parameters(index = "1", arity = "0..1", paramLabel = "PLAN",
            description = "A plan saved by 'deploy plan --out PLAN': apply exactly it (its hosts; refused when the "
                    + "local inputs no longer produce it, exit 3, or a host changed since it was made, exit 1). "
                    + "'deploy apply PLAN' alone uses the inventory the plan was made with.")
    java.nio.file.Path planFile;

    @Mixin
    SourceLockOptions lock;

    @Override
    SourceOptions sourceOptions() {
        return lock.options(common.inventoryFile());
    }

    @Override
    public Integer call() {
        if (events != null && common.json) {
            throw CommonOptions.invalid("--events", "both it and --json write stdout; give one of them");
        }
        parallel(parallel);
        OptionalInt limit = failureLimit();
        Optional<BatchSize> batchSize = parse("--batch", batch, BatchSize::parse);
        Optional<CanarySelector> canarySelector = parse("--canary", canary, CanarySelector::parse);
        Optional<HostOrder> hostOrder = parse("--order", order, HostOrder::parse);
        SavedPlanApply saved = savedPlan();
        try (Deployment deployment = saved == null ? open() : openFor(saved)) {
            deployment.verifyStore(verify);
            RolloutPolicy policy = RolloutPolicy.of(deployment.inventory().rollout(), batchSize, canarySelector, limit,
                    rollbackRunOnAbort ? Optional.of(true) : Optional.empty(), hostOrder);
            List<Host> ordered = policy.order().sort(deployment.inventory(), deployment.hosts());
            List<Batch> batches = BatchPlanner.plan(ordered, policy.batch(), policy.canary());
            deployment.buildMissing(parallel);
            if (saved != null) {
                saved.checkReproduced(deployment);
                saved.unpinnedSecretWarnings().forEach(err()::println);
            }
            List<SourceNotices.Line> notices = SourceNotices.of(deployment, lock.frozen);
            if (!common.json) {
                SourceNotices.print(err(), notices);
            }
            NdjsonEvents ndjson = events == null ? null : new NdjsonEvents(out());
            ApplyView view = ndjson != null || common.json ? ApplyView.silent()
                    : view(ordered, batches).cache(deployment.binaryCache().config());
            if (ndjson != null) {
                ndjson.runStarted("apply", ordered.stream().map(Host::name).toList(),
                        batches.stream().map(Batch::hostNames).toList());
            }
            EventSink sink = ndjson != null ? ndjson : view;
            FleetExecutor executor = deployment.executor(parallel, sink);
            HostTask<ApplyOutcome> apply = (host, events) -> host.apply(deployment.desired(host.host()),
                    ProgressEvents.to(events), events, saved == null ? Optional.empty() : saved.entry(host.host()));
            RolloutReport report;
            try (view) {
                report = new Rollout(executor, policy).run(batches, apply);
            }
            int code = HostResults.exitCode(report.results());
            if (ndjson != null) {
                ndjson.result(CacheView.addTo(ApplyJson.document(report, deployment::stats, code,
                        SourceNotices.json(notices), deployment.binaryCache().config()), ordered,
                        deployment.binaryCache()));
                HostResults.printErrors(report.results(), err(), common.verbose);
            } else if (common.json) {
                printJson(CacheView.addTo(ApplyJson.document(report, deployment::stats, code, SourceNotices.json(notices),
                        deployment.binaryCache().config()), ordered, deployment.binaryCache()));
            } else {
                new ApplyReport(out(), err(), style()).print(report, view, common.verbose);
                CacheView.printApply(err(), ordered.stream().map(Host::name).toList(), deployment.binaryCache());
            }
            return code;
        }
    }

    /**
     * The saved plan to apply, if one was given (as PLAN, or as the only argument); its hosts become the selection
     * and, when given alone, its inventory the inventory.
     */
    private SavedPlanApply savedPlan() {
        java.nio.file.Path file = planFile;
        boolean alone = file == null && SavedPlanApply.isPlanFile(common.inventory);
        if (alone) {
            file = common.inventory;
        }
        if (file == null) {
            return null;
        }
        if (!common.on.isEmpty()) {
            throw CommonOptions.invalid("--on", "cannot be combined with a saved plan: the plan names its hosts");
        }
        SavedPlanApply saved = SavedPlanApply.read(file);
        if (alone) {
            common.inventory = saved.inventory();
        }
        common.on = new java.util.ArrayList<>(List.of(String.join(",", saved.hostNames())));
        return saved;
    }

    /** The deployment of a saved plan's hosts; a host the inventory no longer has is named as the plan's. */
    private Deployment openFor(SavedPlanApply saved) {
        try {
            return open();
        } catch (DeployException e) {
            throw saved.explainSelection(e);
        }
    }

    /** The live per-host status view on a terminal that fits it, plain lines otherwise. */
    private ApplyView view(List<Host> ordered, List<Batch> batches) {
        if (Terminal.interactive()) {
            Terminal.Size size = Terminal.size();
            if (LiveStatusView.fits(ordered.size(), size.rows())) {
                Map<String, Integer> batchOf = new LinkedHashMap<>();
                batches.forEach(b -> b.hosts().forEach(h -> batchOf.put(h.name(), b.number())));
                return new LiveStatusView(out(), err(), style(), size.columns(),
                        ordered.stream().map(Host::name).toList(), batchOf);
            }
        }
        return new PlainProgressView(out(), err(), style(), batches.size());
    }

    private OptionalInt failureLimit() {
        if (maxFailures != null && maxFailures < 1) {
            throw CommonOptions.invalid("--max-failures", "must be at least 1, got " + maxFailures);
        }
        if (failFast && maxFailures != null && maxFailures != 1) {
            throw CommonOptions.invalid("--fail-fast", "is --max-failures 1; it cannot be combined with --max-failures "
                    + maxFailures);
        }
        return failFast ? OptionalInt.of(1) : maxFailures == null ? OptionalInt.empty() : OptionalInt.of(maxFailures);
    }

    private static <T> Optional<T> parse(String option, String value, Function<String, T> parser) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(value));
        } catch (IllegalArgumentException e) {
            throw CommonOptions.invalid(option, e.getMessage());
        }
    }
}
