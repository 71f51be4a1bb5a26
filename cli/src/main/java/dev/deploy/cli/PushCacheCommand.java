package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.cache.BinaryCache;
import dev.deploy.cache.CacheUploader;
import dev.deploy.cache.ObjectStoreException;
import dev.deploy.cli.json.PushCacheDocument;
import dev.deploy.fleet.Deployment;
import dev.deploy.inventory.Host;
import dev.deploy.store.Artifact;
import dev.deploy.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code deploy push-cache}: put every selected host's store paths into the binary cache, touching no host. */
@Command(name = "push-cache",
        header = "Upload the selected hosts' store paths to the binary cache.",
        description = {"Uploads the store paths of every selected host (whose cache is not off) to the inventory's "
                + "binary cache: each file content once, zstd-compressed, then one manifest per store path. What is "
                + "already there is skipped, so a cut upload resumes. Hosts are only contacted to build venvs for "
                + "their Python. For CI: push, then 'deploy apply' finds everything in the cache."})
final class PushCacheCommand extends HostsCommand {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", order = 1,
            description = "Hosts whose facts are read at the same time, for venvs (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() {
        try (Deployment deployment = open()) {
            BinaryCache cache = deployment.binaryCache();
            if (!cache.configured()) {
                throw DeployException.input(Location.of(deployment.inventory().file()), "cache",
                        "the inventory has no binary cache (add cache: {s3: s3://BUCKET/PREFIX, ...})");
            }
            deployment.prepareAll(parallel);
            Map<String, Artifact> artifacts = new LinkedHashMap<>();
            List<String> failed = new ArrayList<>();
            for (Host host : deployment.hosts()) {
                if (!cache.config().enabledFor(host.name())) {
                    continue;
                }
                try {
                    deployment.desired(host).artifacts().forEach(a -> artifacts.putIfAbsent(a.storePath().toString(), a));
                } catch (DeployException e) {
                    err().println("deploy: error: " + e.getMessage());
                    failed.add(host.name());
                }
            }
            CacheUploader.Report report;
            try {
                report = cache.push(List.copyOf(artifacts.values()));
            } catch (CacheUploader.UploadFailed | ObjectStoreException e) {
                throw new DeployException(DeployException.Kind.HOST, null, "push-cache", null, null, e.getMessage(), e);
            }
            int code = failed.isEmpty() ? ExitCodes.OK : ExitCodes.HOST_FAILED;
            if (common.json) {
                printJson(new PushCacheDocument(code, cache.settings().location(), artifacts.size(),
                        CacheView.json(report), failed));
            } else {
                out().println(CacheView.upload(cache.settings().location(), report) + " (" + artifacts.size()
                        + " store path(s) of " + (deployment.hosts().size() - failed.size()) + " host(s))");
            }
            return code;
        }
    }
}
