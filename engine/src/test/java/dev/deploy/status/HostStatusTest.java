package dev.deploy.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.ServiceSpec;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.HostDrift;
import dev.deploy.plan.HostState;
import dev.deploy.plan.Planner;
import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What {@code deploy status} makes of a host's state and the plan from it. */
class HostStatusTest {

    private final Host host = new Host("web1", null, new HostTarget.Ssh("192.0.2.1", 22, "root", Optional.empty(),
            Optional.empty(), Optional.empty(), "/var/lib/deploy"), List.of(), List.of(), List.of(), List.of());

    @Test
    void aDamagedLiveStorePathIsDriftOfAnUpToDateGenerationNotAnOutdatedOneAlthoughItsRepairRestartsTheService() {
        Artifact site = new MemoryTree().file("index.html", "hello\n", false).toArtifact("web.site", "path:site");
        Artifact unit = new MemoryTree().file("web.service", "[Service]\n", false).toArtifact("web.service", "unit");
        SortedMap<String, Artifact> roots = new TreeMap<>(Map.of("source/web.site", site, "unit/web", unit));
        DesiredGeneration desired = DesiredGeneration.of(new EvaluatedHost(host, roots, List.of(new ServiceSpec("web",
                unit.storePath(), new TreeSet<>(Set.of("source/web.site")), Optional.empty()))));
        Set<StorePath> store = new HashSet<>();
        desired.artifacts().forEach(a -> store.add(a.storePath()));
        HostDrift drift = new HostDrift(new TreeMap<>(Map.of("web.service",
                new HostDrift.ServiceState("active", "running", "loaded"))), new TreeMap<>(Map.of(site.storePath(),
                new HostDrift.PathCheck.Damaged("modified", "index.html"))), List.of(), Optional.empty());
        HostState state = new HostState(Optional.of(1), Optional.of(desired.manifest().withNumber(1, "t")),
                List.of(1), store, true, "x86_64", 1L << 30, Map.of(), Optional.empty(), Optional.empty(), Map.of(),
                HostState.SecretFacts.NONE, drift);
        HostStatus status = new HostStatus("web1", state, Optional.of(Planner.plan(host, desired, state)),
                Optional.empty(), HostDrift.Check.FAST, true);
        assertThat(status.generation()).isEqualTo(HostStatus.Generation.UP_TO_DATE);
        assertThat(status.drifted()).isTrue();
    }

    private HostStatus status(HostDrift.ServiceState service) {
        Artifact unit = new MemoryTree().file("web.service", "[Service]\n", false).toArtifact("web.service", "unit");
        SortedMap<String, Artifact> roots = new TreeMap<>(Map.of("unit/web", unit));
        DesiredGeneration desired = DesiredGeneration.of(new EvaluatedHost(host, roots, List.of(new ServiceSpec("web",
                unit.storePath(), new TreeSet<>(), Optional.empty()))));
        Set<StorePath> store = new HashSet<>();
        desired.artifacts().forEach(a -> store.add(a.storePath()));
        HostDrift drift = new HostDrift(new TreeMap<>(Map.of("web.service", service)), new TreeMap<>(), List.of(),
                Optional.empty());
        HostState state = new HostState(Optional.of(1), Optional.of(desired.manifest().withNumber(1, "t")),
                List.of(1), store, true, "x86_64", 1L << 30, Map.of(), Optional.empty(), Optional.empty(), Map.of(),
                HostState.SecretFacts.NONE, drift);
        return new HostStatus("web1", state, Optional.of(Planner.plan(host, desired, state)), Optional.empty(),
                HostDrift.Check.FAST, true);
    }

    @Test
    void aDropInDeployDidNotMakeIsDriftThatApplyLeavesInPlaceWhileAStoppedServiceIsDriftApplyRepairs() {
        HostStatus dropIn = status(new HostDrift.ServiceState("active", "running", "loaded",
                List.of("drop-in /etc/systemd/system/web.service.d/override.conf")));
        assertThat(dropIn.drifted()).isTrue();
        assertThat(dropIn.repairedByApply()).as("apply never removes a file deploy did not make").isFalse();
        assertThat(dropIn.overrides()).containsExactly("web.service: drop-in "
                + "/etc/systemd/system/web.service.d/override.conf");
        assertThat(dropIn.plan().orElseThrow().hasChanges()).isFalse();

        HostStatus stopped = status(new HostDrift.ServiceState("inactive", "dead", "loaded"));
        assertThat(stopped.drifted()).isTrue();
        assertThat(stopped.repairedByApply()).isTrue();
        assertThat(stopped.overrides()).isEmpty();

        HostStatus both = status(new HostDrift.ServiceState("failed", "failed", "loaded",
                List.of("drop-in /etc/systemd/system/web.service.d/override.conf")));
        assertThat(both.repairedByApply()).as("apply starts it; the drop-in stays").isTrue();
        assertThat(both.overrides()).hasSize(1);
    }
}
