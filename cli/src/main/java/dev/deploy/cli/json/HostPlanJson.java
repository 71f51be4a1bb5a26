package dev.deploy.cli.json;

import dev.deploy.plan.HostPlan;
import dev.deploy.store.Artifact;
import dev.deploy.venv.VenvReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One host's plan: the generation it has and would get, the store paths to add (with their files, bytes and where
 * each came from), the roots added, changed or removed, the service actions and whether the host carries them out
 * the secrets whose version is added, changed or removed (names only, never a value: {@link Secret}),
 * ({@code servicesStarted}: false where services are only recorded, e.g. a local target without
 * {@code services: systemd}), the origin of every root, the venvs with their packages, and why the current
 * generation is marked failed ({@code currentGenerationFailed}: null when it is not; apply then restarts every
 * service), and {@code diff}: what changes inside each artifact and why each service acts ({@link PlanDiffJson}).
 * Part of the plan document's host entries and of each host of the apply document ({@code plan}).
 */
public record HostPlanJson(String host, boolean changes, Integer currentGeneration, Integer nextGeneration,
                           List<StorePathToAdd> storePathsToAdd, long bytesToAdd, List<Root> roots,
                           List<Secret> secrets, List<Service> services, boolean servicesStarted,
                           Map<String, String> origins, List<Venv> venvs, String currentGenerationFailed,
                           PlanDiffJson diff, List<String> storePathsToRepair, long bytesNeeded,
                           String contentFrom) {

    /**
     * A store path the host lacks: its name, file count, bytes and the source it came from. A store path that apply
     * builds first (a venv, named by its inputs) has {@code builtAtApply} true and null files and bytes: they are
     * known only once it is built.
     */
    public record StorePathToAdd(String storePath, Integer files, Long bytes, String origin, boolean builtAtApply) {
    }

    /** A root by role: {@code change} is {@code add}, {@code change} or {@code remove}; store paths or null. */
    public record Root(String role, String change, String from, String to) {
    }

    /**
     * A secret by {@code MODULE.NAME} whose version the plan adds, changes or removes; never its value. {@code was}:
     * for a live secret file written again because its owner, group or mode drifted or it is gone (drift apply
     * repairs), what the host had ({@code root:root 0644}, {@code missing}); else null.
     */
    public record Secret(String secret, String change, String was) {

        public static List<Secret> of(HostPlan plan) {
            return plan.secretChanges().stream()
                    .map(c -> new Secret(c.name(), c.change().name().toLowerCase(Locale.ROOT), c.was())).toList();
        }
    }

    /**
     * A service action: {@code start}, {@code restart} or {@code stop}; {@code was}: the state systemd reported for a
     * service that should run but did not (drift apply repairs), else null.
     */
    public record Service(String service, String action, String was) {

        public static Service of(HostPlan.ServiceChange change) {
            return new Service(change.service(), change.action().name().toLowerCase(Locale.ROOT),
                    change.was().orElse(null));
        }
    }

    /**
     * A venv: its role, store path, the host's interpreter, every package with the wheel it installs and how that
     * wheel was obtained ({@code via}: {@code lock-wheel}, {@code wheelhouse}, {@code built-from-sdist}), the
     * packages no locked wheel fits, the project's scripts, the extras and dependency groups installed, and the
     * files apply downloads with their bytes (as uv.lock records their sizes; 0 when the local cache has them all).
     */
    public record Venv(String role, String storePath, String python, List<Package> packages,
                       List<String> withoutFittingWheel, List<String> scripts, List<String> extras,
                       List<String> groups, int filesToFetch, long bytesToFetch) {

        public static Venv of(VenvReport venv) {
            return new Venv(venv.role(), venv.storePath(), venv.python(),
                    venv.packages().stream().map(Package::of).toList(),
                    venv.withoutFittingWheel().stream().map(VenvReport.PackageLine::name).toList(), venv.scripts(),
                    venv.extras(), venv.groups(), venv.filesToFetch(), venv.bytesToFetch());
        }
    }

    /**
     * One installed package of a venv: the wheel it installs (null when it is built on the host from an sdist, a
     * git checkout or a workspace member), the file that apply fetches or builds from, and how.
     */
    public record Package(String name, String version, String wheel, String file, String via) {

        static Package of(VenvReport.PackageLine line) {
            return new Package(line.name(), line.version(), line.wheel().orElse(null), line.file(),
                    line.via().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    /** {@code contentFrom}: where the files the host lacks come from: {@code controller}, {@code cache} or
     * {@code controller-cache-off} (a binary cache is configured but off for this host). */
    public static HostPlanJson of(HostPlan plan, String contentFrom) {
        return new HostPlanJson(plan.host().name(), plan.hasChanges(), plan.state().currentNumber().orElse(null),
                plan.hasChanges() ? plan.state().nextGenerationNumber() : null,
                plan.toAdd().stream().map(HostPlanJson::storePath).toList(), plan.bytesToAdd(),
                plan.rootChanges().stream().map(c -> new Root(c.role(), c.change().name().toLowerCase(Locale.ROOT),
                        c.from(), c.to())).toList(),
                Secret.of(plan), plan.serviceChanges().stream().map(Service::of).toList(), plan.startsServices(),
                plan.desired().manifest().origins(), plan.desired().venvs().stream().map(Venv::of).toList(),
                plan.state().currentFailure().orElse(null), plan.diff().map(PlanDiffJson::of).orElse(null),
                plan.toRepair().stream().map(a -> a.storePath().toString()).toList(), plan.bytesNeeded(),
                contentFrom);
    }

    private static StorePathToAdd storePath(Artifact artifact) {
        boolean built = artifact.isBuilt();
        return new StorePathToAdd(artifact.storePath().toString(), built ? artifact.tree().fileCount() : null,
                built ? artifact.tree().totalBytes() : null, artifact.origin(), !built);
    }
}
