package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.activation.GenerationInfo;
import dev.deploy.cache.BinaryCache;
import dev.deploy.cache.CacheGc;
import dev.deploy.cache.ObjectStoreException;
import dev.deploy.cli.json.CacheGcDocument;
import dev.deploy.event.EventSink;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostResult;
import dev.deploy.store.StorePath;
import dev.deploy.Location;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy cache gc}: delete what no generation on the fleet's hosts still uses from the binary cache. */
@Command(name = "gc",
        header = "Delete from the binary cache what no generation uses.",
        description = {"Deletes from the binary cache every store path manifest that no generation on any host of "
                + "the inventory references and that is older than --keep-days, then every object that no remaining "
                + "manifest names and that is older than --keep-days. Reads every host's generations first "
                + "(read-only); if any host cannot be read, nothing is deleted. Run 'deploy gc' on the hosts first "
                + "to let go of old generations."})
final class CacheGcCommand extends HostsCommand {

    @Option(names = "--keep-days", paramLabel = "N", required = true, order = 1,
            description = "Keep everything written in the last N days (0: only what generations reference).")
    int keepDays;

    @Option(names = "--dry-run", order = 2, description = "Only show what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (keepDays < 0) {
            throw CommonOptions.invalid("--keep-days", "must be 0 or more, got " + keepDays);
        }
        if (!common.on.isEmpty()) {
            throw CommonOptions.invalid("--on", "cache gc must read every host's generations (a store path"
                    + " only other hosts use would look unused); leave --on out");
        }
        try (Deployment deployment = open()) {
            BinaryCache cache = deployment.binaryCache();
            if (!cache.configured()) {
                throw DeployException.input(Location.of(deployment.inventory().file()), "cache",
                        "the inventory has no binary cache");
            }
            List<HostResult<List<GenerationInfo>>> results = deployment.executor(4, EventSink.NONE)
                    .run(deployment.hosts(), "cache gc", (host, events) -> host.generations());
            Set<StorePath> live = new HashSet<>();
            for (HostResult<List<GenerationInfo>> any : results) {
                if (!(any instanceof HostResult.Done<List<GenerationInfo>> result)) {
                    throw DeployException.host(any.host().name(), "cache gc", "cannot read the host's generations ("
                            + HostResults.message(any).orElse("not run") + "); nothing deleted");
                }
                for (GenerationInfo generation : result.value()) {
                    if (generation.manifest() == null) {
                        throw DeployException.host(result.host().name(), "cache gc", "generation "
                                + generation.number() + " has no readable manifest.json; nothing deleted");
                    }
                    live.addAll(generation.manifest().storePaths());
                }
            }
            Instant cutoff = Instant.now().minus(Duration.ofDays(keepDays));
            CacheGc.Collection collection;
            try {
                collection = CacheGc.collect(cache, live, cutoff, dryRun);
            } catch (ObjectStoreException e) {
                throw new DeployException(DeployException.Kind.HOST, null, "cache gc", null, null, e.getMessage(), e);
            }
            if (common.json) {
                printJson(new CacheGcDocument(ExitCodes.OK, cache.settings().location(), dryRun, live.size(),
                        collection.manifests(), collection.objects().size(), collection.bytesFreed(),
                        collection.manifestsKept(), collection.objectsKept()));
            } else {
                out().println("cache " + cache.settings().location() + ": " + (dryRun ? "would delete " : "deleted ")
                        + collection.manifests().size() + " manifest(s) and " + collection.objects().size()
                        + " object(s), " + Style.bytes(collection.bytesFreed()) + "; kept "
                        + collection.manifestsKept() + " manifest(s) and " + collection.objectsKept() + " object(s) ("
                        + live.size() + " store path(s) live on " + results.size() + " host(s))");
            }
            return ExitCodes.OK;
        }
    }
}
