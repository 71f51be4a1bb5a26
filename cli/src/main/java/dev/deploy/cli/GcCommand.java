package dev.deploy.cli;

import dev.deploy.activation.GarbageCollector;
import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy gc}: delete old generations and the store paths nothing references any more. */
@Command(name = "gc",
        header = "Delete old generations and the store paths nothing uses.",
        description = {"Deletes the generations beyond the newest --keep on each selected host (the current one is "
                + "always kept), then every store path that no remaining generation references, and leftovers of "
                + "cut transfers. Runs under the host's deploy lock; --dry-run only shows what would be deleted."})
final class GcCommand extends HostsCommand {

    @Option(names = "--keep", paramLabel = "K", required = true, order = 1, description = "Generations to keep (at least 1).")
    int keep;

    @Option(names = "--dry-run", order = 2, description = "Only show what would be deleted.")
    boolean dryRun;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", order = 3,
            description = "Hosts collected at the same time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        if (keep < 1) {
            throw CommonOptions.invalid("--keep", "must be at least 1, got " + keep);
        }
        parallel(parallel);
        try (Deployment deployment = open()) {
            List<HostResult<GarbageCollector.Collection>> results = deployment.executor(parallel, EventSink.NONE)
                    .run(deployment.hosts(), "gc", (host, events) -> host.gc(keep, dryRun));
            int code = HostResults.exitCode(results);
            if (common.json) {
                printJson(JsonDocuments.gc(results, dryRun, deployment::stats, code));
                return code;
            }
            for (HostResult<GarbageCollector.Collection> result : results) {
                if (result instanceof HostResult.Done<GarbageCollector.Collection> done) {
                    print(out(), result.host().name(), done.value(), dryRun);
                }
            }
            out().flush();
            HostResults.printErrors(results, err(), common.verbose);
            return code;
        }
    }

    /**
     * {@code web1: deleted generations 1, 2 and 3 store paths} and the paths, or
     * {@code web1: nothing to delete (2 generations, keeping 2)}; {@code would delete} with --dry-run.
     */
    static void print(PrintWriter out, String host, GarbageCollector.Collection collection, boolean dryRun) {
        List<Integer> generations = collection.generations();
        if (generations.isEmpty() && collection.storePaths().isEmpty() && collection.secretVersions().isEmpty()) {
            out.println(host + ": nothing to delete");
            return;
        }
        String what = generations.isEmpty() ? "no generation"
                : (generations.size() == 1 ? "generation " : "generations ")
                + String.join(", ", generations.stream().map(String::valueOf).toList());
        out.println(host + ": " + (dryRun ? "would delete " : "deleted ") + what + " and "
                + Words.count(collection.storePaths().size(), "store path")
                + (collection.secretVersions().isEmpty() ? ""
                : ", " + Words.count(collection.secretVersions().size(), "secret version")));
        collection.storePaths().forEach(path -> out.println("  - " + path));
        collection.secretVersions().forEach(version -> out.println("  - secret " + version));
    }
}
