package dev.deploy.cli;

import dev.deploy.activation.GarbageCollector;
import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy gc}: delete old generations and the store paths nothing references any more. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete generations beyond the newest --keep on each selected host (the current one is",
            "always kept), then every store path that no remaining generation references, and leftovers of cut",
            "transfers. Runs under the host's deploy lock."},
        footer = ExitCodes.HELP)
final class GcCommand extends HostsCommand {

    @Option(names = "--keep", paramLabel = "K", required = true, description = "Generations to keep (at least 1).")
    int keep;

    @Option(names = "--dry-run", description = "Only show what would be deleted.")
    boolean dryRun;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Hosts collected at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        if (keep < 1) {
            throw dev.deploy.DeployException.input("--keep must be at least 1, got " + keep);
        }
        try (Deployment deployment = open()) {
            List<HostResult<GarbageCollector.Collection>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "gc", (host, events) -> host.gc(keep, dryRun));
            Map<String, Object> doc = Json.document("gc");
            List<Object> hosts = new ArrayList<>();
            for (HostResult<GarbageCollector.Collection> result : results) {
                String name = result.host().name();
                if (!(result instanceof HostResult.Done<GarbageCollector.Collection> done)) {
                    hosts.add(Map.of("host", name, "outcome", Outcome.of(result).label(),
                            "error", HostResults.message(result).orElse("")));
                    continue;
                }
                GarbageCollector.Collection collection = done.value();
                if (!common.json) {
                    out().println(name + ": " + (dryRun ? "would delete " : "deleted ")
                            + collection.generations().size() + " generation(s) " + collection.generations()
                            + " and " + collection.storePaths().size() + " store path(s)"
                            + (collection.secretVersions().isEmpty() ? ""
                            : ", " + collection.secretVersions().size() + " secret version(s)"));
                    collection.storePaths().forEach(path -> out().println("  - " + path));
                    collection.secretVersions().forEach(version -> out().println("  - secret " + version));
                }
                Map<String, Object> host = new LinkedHashMap<>();
                host.put("host", name);
                host.put("dryRun", dryRun);
                host.put("generations", collection.generations());
                host.put("storePaths", collection.storePaths().stream().map(Object::toString).toList());
                host.put("secretVersions", collection.secretVersions());
                hosts.add(host);
            }
            if (common.json) {
                doc.put("hosts", hosts);
                printJson(doc);
            } else {
                HostResults.printErrors(results, err(), common.verbose);
            }
            out().flush();
            return HostResults.exitCode(results);
        }
    }
}
