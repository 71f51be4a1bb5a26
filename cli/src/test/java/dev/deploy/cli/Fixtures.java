package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Batch;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.RolloutReport;
import dev.deploy.host.TransportStats;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.store.Artifact;
import dev.deploy.store.StorePath;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import dev.deploy.transfer.TransferResult;
import dev.deploy.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans, outcomes and results as the engine makes them, for the renderers' tests: built from the engine's own
 * records, with no host (nothing here is a fake of a host: renderers only read these values).
 */
final class Fixtures {

    /** A store path of the site's new content: 2 files, 300 bytes. */
    static final Artifact SITE = Artifact.of("site.content",
            new Tree(List.of(TreeEntry.file("index.html", false, 200, "a".repeat(64)),
                    TreeEntry.file("about.html", false, 100, "b".repeat(64)))), entry -> null, "path:/srv/site");
    static final String OLD_SITE = "ml2jqnr2ayeau4dyzbe2fmzn2tm5tz3w-site.content";
    static final String UNIT = "eojcti67gtz7ltxlqjc2wft3dnqkkbbk-web.service";

    private Fixtures() {
    }

    /** A local target that only records services (no {@code services: systemd}). */
    static Host local(String name) {
        return host(name, new HostTarget.Local(Path.of("/srv", name)));
    }

    /** A local target with {@code services: systemd}. */
    static Host localSystemd(String name) {
        return host(name, new HostTarget.Local(Path.of("/srv", name), true, Optional.empty()));
    }

    /** An SSH host. */
    static Host ssh(String name) {
        return host(name, new HostTarget.Ssh("203.0.113.10", 22, "deploy", Optional.empty(), Optional.empty(),
                Optional.empty(), "/var/lib/deploy"));
    }

    static Host host(String name, HostTarget target) {
        return new Host(name, new Location("inventory.yaml", 3, 3), target, List.of(), List.of(), List.of(),
                List.of());
    }

    /** The host's state: generation 1 current (or none), systemd running or not. */
    static HostState state(boolean hasGeneration, boolean systemd) {
        return new HostState(hasGeneration ? Optional.of(1) : Optional.empty(), Optional.empty(),
                hasGeneration ? List.of(1) : List.of(), Set.of(), systemd, "x86_64", -1);
    }

    /** The desired generation: the site as a root, the web service using it. */
    static DesiredGeneration desired(String host) {
        TreeMap<String, String> roots = new TreeMap<>(Map.of("source/site.content", SITE.storePath().toString()));
        TreeMap<String, String> origins = new TreeMap<>(Map.of("source/site.content", "path:/srv/site"));
        TreeMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>(Map.of("web",
                new GenerationManifest.ServiceEntry(UNIT, new TreeMap<>(roots),
                        new GenerationManifest.Health("http://127.0.0.1:8080/", null, 20))));
        return new DesiredGeneration(new GenerationManifest(GenerationManifest.FORMAT, 0, null, host, roots,
                origins, services), List.of(SITE));
    }

    /** Generation 1 -> 2 on {@code host}: the site's content changes, the web service restarts. */
    static HostPlan sitePlan(Host host, boolean systemd) {
        return new HostPlan(host, desired(host.name()), state(true, systemd), List.of(SITE),
                List.of(new HostPlan.RootChange("source/site.content", HostPlan.Change.CHANGE, OLD_SITE,
                        SITE.storePath().toString())),
                List.of(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART)));
    }

    /** A first deploy: the site is added and the service started. */
    static HostPlan firstPlan(Host host, boolean systemd) {
        return new HostPlan(host, desired(host.name()), state(false, systemd), List.of(SITE),
                List.of(new HostPlan.RootChange("source/site.content", HostPlan.Change.ADD, null,
                        SITE.storePath().toString())),
                List.of(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.START)));
    }

    /** Nothing to do: the host is on generation 1 already. */
    static HostPlan noChanges(Host host) {
        return new HostPlan(host, desired(host.name()), state(true, true), List.of(), List.of(), List.of());
    }

    /** Nothing changed since generation 1, but generation 1 is marked failed (its health check failed). */
    static HostPlan failedCurrent(Host host) {
        HostState state = state(true, true);
        HostState failed = new HostState(state.currentNumber(), state.current(), state.generations(), state.store(),
                true, state.arch(), state.freeBytes(), Map.of(), Optional.of("health check: web answered 500"),
                Optional.empty(), Map.of());
        return new HostPlan(host, desired(host.name()), failed, List.of(), List.of(), List.of());
    }

    static final TransferResult SENT = new TransferResult(1, 1, 100, 1, 200);

    static HostResult<ApplyOutcome> applied(Host host) {
        return new HostResult.Done<>(host, new ApplyOutcome.Applied(sitePlan(host, true), 2, SENT,
                List.of("web.service is healthy after 1.0s")), Duration.ofMillis(2400));
    }

    static HostResult<ApplyOutcome> rolledBack(Host host) {
        return new HostResult.Done<>(host, new ApplyOutcome.RolledBack(sitePlan(host, true), 2, 1, SENT,
                "service web.service is not healthy after 20s (http://127.0.0.1:8080/ answered 503)",
                Optional.empty(), List.of("web.service is not healthy")), Duration.ofMillis(21000));
    }

    static HostResult<ApplyOutcome> unreachable(Host host) {
        return new HostResult.Unreachable<>(host, DeployException.host(host.name(), "connect",
                "203.0.113.10:22: connection refused"), Duration.ofMillis(300));
    }

    static <T> HostResult<T> inputRefused(Host host) {
        return new HostResult.Failed<>(host, DeployException.input(host.name(), new Location("inventory.yaml", 7, 18),
                "hosts." + host.name() + ".options.site.port", "expected an integer, got \"eighty\""), false,
                Duration.ZERO);
    }

    static <T> HostResult<T> locked(Host host) {
        return new HostResult.Locked<>(host, DeployException.locked(host.name(), "lock",
                "another deploy holds /var/lib/deploy/lock (deploy apply by ci@build7 pid 4242)"), Duration.ZERO);
    }

    static <T> HostResult<T> skipped(Host host) {
        return new HostResult.Skipped<>(host);
    }

    /** One batch that started with {@code results}. */
    static RolloutReport rollout(List<HostResult<ApplyOutcome>> results) {
        Batch batch = new Batch(1, false, results.stream().map(HostResult::host).toList());
        return new RolloutReport(List.of(new RolloutReport.BatchReport(batch, true, results)), Optional.empty());
    }

    static TransportStats stats(Host host) {
        return new TransportStats(3, 1024, 2048);
    }

    static StorePath storePath(String text) {
        return StorePath.parse(text);
    }
}
