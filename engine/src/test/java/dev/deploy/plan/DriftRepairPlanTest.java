package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.ServiceSpec;
import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Drift an apply repairs (issue 14 item 4) and the free-space check before a transfer (item 5), as planned. */
class DriftRepairPlanTest {

    private final Host ssh = new Host("web1", null, new HostTarget.Ssh("192.0.2.1", 22, "root", Optional.empty(),
            Optional.empty(), Optional.empty(), "/var/lib/deploy"), List.of(), List.of(), List.of(), List.of());
    private final Host local = new Host("laptop", null, new HostTarget.Local(Path.of("/tmp/x")), List.of(), List.of(),
            List.of(), List.of());

    private DesiredGeneration desired(Host host) {
        Artifact site = new MemoryTree().file("index.html", "hello\n", false).toArtifact("web.site", "path:site");
        Artifact unit = new MemoryTree().file("web.service", "[Service]\n", false).toArtifact("web.service", "unit");
        SortedMap<String, Artifact> roots = new TreeMap<>();
        roots.put("source/web.site", site);
        roots.put("unit/web", unit);
        return DesiredGeneration.of(new EvaluatedHost(host, roots,
                List.of(new ServiceSpec("web", unit.storePath(), new java.util.TreeSet<>(Set.of("source/web.site")),
                        Optional.empty()))));
    }

    private HostState applied(DesiredGeneration desired, HostDrift drift, long free) {
        Set<StorePath> store = new HashSet<>();
        desired.artifacts().forEach(a -> store.add(a.storePath()));
        return new HostState(Optional.of(1), Optional.of(desired.manifest().withNumber(1, "t")), List.of(1), store,
                true, "x86_64", free, Map.of(), Optional.empty(), Optional.empty(), Map.of(), HostState.SecretFacts.NONE, drift);
    }

    private static HostDrift services(String unit, String active, String sub) {
        return new HostDrift(new TreeMap<>(Map.of(unit, new HostDrift.ServiceState(active, sub, "loaded"))),
                new TreeMap<>(), List.of(), Optional.empty());
    }

    @Test
    void aServiceThatShouldRunButIsInactiveIsStartedAndThePlanSaysWhatItWas() {
        DesiredGeneration desired = desired(ssh);
        HostPlan plan = Planner.plan(ssh, desired, applied(desired, services("web.service", "inactive", "dead"), 1L << 30));
        assertThat(plan.serviceChanges()).containsExactly(new HostPlan.ServiceChange("web",
                HostPlan.ServiceAction.START, Optional.of("inactive")));
        assertThat(plan.hasChanges()).isTrue();
        assertThat(plan.toAdd()).isEmpty();
    }

    @Test
    void aFailedServiceIsStartedButARunningOrRestartingOneIsLeftAlone() {
        DesiredGeneration desired = desired(ssh);
        assertThat(Planner.plan(ssh, desired, applied(desired, services("web.service", "failed", "failed"), 1L << 30))
                .serviceChanges()).containsExactly(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.START,
                        Optional.of("failed")));
        assertThat(Planner.plan(ssh, desired, applied(desired, services("web.service", "active", "running"),
                1L << 30)).hasChanges()).isFalse();
        HostPlan restarting = Planner.plan(ssh, desired, applied(desired,
                services("web.service", "activating", "auto-restart"), 1L << 30));
        assertThat(restarting.hasChanges()).as("systemd restarts it by itself").isFalse();
    }

    @Test
    void aLocalTargetNeverStartsServicesWhateverSystemdSays() {
        DesiredGeneration desired = desired(local);
        assertThat(Planner.plan(local, desired, applied(desired, services("web.service", "inactive", "dead"),
                1L << 30)).hasChanges()).isFalse();
    }

    @Test
    void aDamagedLiveStorePathIsAddedAgainAsARepair() {
        DesiredGeneration desired = desired(ssh);
        StorePath site = StorePath.parse(desired.manifest().roots().get("source/web.site"));
        HostDrift drift = new HostDrift(new TreeMap<>(), new TreeMap<>(Map.of(site,
                new HostDrift.PathCheck.Damaged("modified", "index.html"))), List.of(), Optional.empty());
        HostPlan plan = Planner.plan(ssh, desired, applied(desired, drift, 1L << 30));
        assertThat(plan.toAdd()).extracting(Artifact::storePath).containsExactly(site);
        assertThat(plan.toRepair()).extracting(Artifact::storePath).containsExactly(site);
        assertThat(plan.rootChanges()).isEmpty();
        assertThat(plan.hasChanges()).isTrue();
    }

    @Test
    void aRepairedUnitRestartsItsServiceAndReloadsSystemd() {
        DesiredGeneration desired = desired(ssh);
        StorePath unit = StorePath.parse(desired.manifest().services().get("web").unit());
        HostDrift drift = new HostDrift(new TreeMap<>(Map.of("web.service",
                new HostDrift.ServiceState("active", "running", "loaded"))), new TreeMap<>(Map.of(unit,
                new HostDrift.PathCheck.Damaged("modified", "web.service"))), List.of(), Optional.empty());
        HostPlan plan = Planner.plan(ssh, desired, applied(desired, drift, 1L << 30));
        assertThat(plan.toRepair()).extracting(Artifact::storePath).containsExactly(unit);
        assertThat(plan.serviceChanges()).as("systemd runs the edited unit until it is reloaded and restarted")
                .containsExactly(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART));
        assertThat(plan.unitsRepaired()).isTrue();
        assertThat(HostDiffs.reasons(plan)).containsExactly(new ServiceReason("web", HostPlan.ServiceAction.RESTART,
                List.of("unit repaired")));
    }

    @Test
    void aRepairedInputRestartsTheServicesThatUseItWithoutReloadingSystemd() {
        DesiredGeneration desired = desired(ssh);
        StorePath site = StorePath.parse(desired.manifest().roots().get("source/web.site"));
        HostDrift drift = new HostDrift(new TreeMap<>(), new TreeMap<>(Map.of(site,
                new HostDrift.PathCheck.Damaged("modified", "index.html"))), List.of(), Optional.empty());
        HostPlan plan = Planner.plan(ssh, desired, applied(desired, drift, 1L << 30));
        assertThat(plan.serviceChanges()).as("the running service may hold what it read from the damaged file")
                .containsExactly(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART));
        assertThat(plan.unitsRepaired()).isFalse();
        assertThat(HostDiffs.reasons(plan)).containsExactly(new ServiceReason("web", HostPlan.ServiceAction.RESTART,
                List.of("source/web.site repaired")));
        assertThat(Planner.plan(local, desired(local), applied(desired(local), drift, 1L << 30)).serviceChanges())
                .as("a local target without systemd starts nothing").isEmpty();
    }

    @Test
    void aPlanThatDoesNotFitTheStateDirectoryIsRefusedNamingHostNeedAndHave() {
        DesiredGeneration desired = desired(ssh);
        HostState empty = new HostState(Optional.empty(), Optional.empty(), List.of(), Set.of(), true, "x86_64", 6000);
        HostPlan plan = Planner.plan(ssh, desired, empty);
        assertThat(plan.bytesNeeded()).as("two files, one block each, and each path's directory")
                .isEqualTo(4 * 4096);
        assertThatThrownBy(() -> FreeSpace.require(plan)).isInstanceOfSatisfying(DeployException.class, e -> {
            assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST);
            assertThat(e.getMessage()).isEqualTo("web1: free space: not enough space on web1: need 16.0 KiB, have"
                    + " 5.9 KiB in /var/lib/deploy");
        });
        HostState unknown = new HostState(Optional.empty(), Optional.empty(), List.of(), Set.of(), true, "x86_64", -1);
        FreeSpace.require(Planner.plan(ssh, desired, unknown));
        HostState roomy = new HostState(Optional.empty(), Optional.empty(), List.of(), Set.of(), true, "x86_64",
                4 * 4096);
        FreeSpace.require(Planner.plan(ssh, desired, roomy));
    }

    @Test
    void aDropInAReplacedUnitFileOrAnUnreloadedUnitIsReportedAsAnOverrideOfTheService() {
        HostState state = HostFacts.parse("web1", String.join("\n",
                "@@deploy:systemd", "yes",
                "@@deploy:drift-service web.service", "active running loaded",
                "dropin /etc/systemd/system/web.service.d/override.conf",
                "@@deploy:drift-service api.service", "active running loaded", "fragment /etc/systemd/system/api.service",
                "reload",
                "@@deploy:drift-service ok.service", "active running loaded",
                "@@deploy:end", ""));
        HostDrift.ServiceState web = state.drift().services().get("web.service");
        assertThat(web.overrides()).containsExactly("drop-in /etc/systemd/system/web.service.d/override.conf");
        assertThat(web.expected()).as("systemd runs it with a setting deploy did not make").isFalse();
        assertThat(state.drift().services().get("api.service").overrides()).containsExactly(
                "unit file /etc/systemd/system/api.service is not deploy's link",
                "unit file changed on disk since systemd loaded it (daemon-reload)");
        assertThat(state.drift().services().get("ok.service").overrides()).isEmpty();
        assertThat(state.drift().services().get("ok.service").expected()).isTrue();
    }

    @Test
    void driftSectionsParseIntoServicesPathChecksLeftoversAndTheLockHolder() {
        String sp = "eojcti67gtz7ltxlqjc2wft3dnqkkbbk-site";
        HostState state = HostFacts.parse("web1", String.join("\n",
                "@@deploy:systemd", "yes",
                "@@deploy:drift-service web.service", "inactive dead loaded",
                "@@deploy:drift-service api.service", "activating auto-restart loaded",
                "@@deploy:drift-path " + sp, "damaged modified dir/a b.html",
                "@@deploy:drift-path swwdtbj6eoe4dfivlm77f4isc7yy25xv-unit", "unknown no checksum list",
                "@@deploy:drift-leftover", "/var/lib/deploy/store/.incoming-abc",
                "@@deploy:drift-lock", "held", "deploy apply by ci@build pid 7 since t",
                "@@deploy:end", ""));
        HostDrift drift = state.drift();
        assertThat(drift.services().get("web.service").stopped()).isTrue();
        assertThat(drift.services().get("api.service").label()).isEqualTo("restarting");
        assertThat(drift.services().get("api.service").stopped()).isFalse();
        assertThat(drift.services().get("api.service").expected()).as("a restart loop is drift").isFalse();
        assertThat(new HostDrift.ServiceState("active", "running", "loaded").expected()).isTrue();
        assertThat(drift.paths().get(StorePath.parse(sp)))
                .isEqualTo(new HostDrift.PathCheck.Damaged("modified", "dir/a b.html"));
        assertThat(drift.damaged()).containsExactly(StorePath.parse(sp));
        assertThat(drift.leftovers()).containsExactly("/var/lib/deploy/store/.incoming-abc");
        assertThat(drift.lock()).contains(new HostDrift.LockState(HostDrift.LockState.Status.HELD,
                "deploy apply by ci@build pid 7 since t"));
    }

    @Test
    void aServiceWhoseUnitLinkWasRemovedIsDriftThatApplyRepairsByLinkingAgainAndReloadingSystemd() {
        HostState facts = HostFacts.parse("web1", String.join("\n",
                "@@deploy:systemd", "yes",
                "@@deploy:drift-service web.service", "active running not-found",
                "unlinked /etc/systemd/system/web.service",
                "unlinked /etc/systemd/system/multi-user.target.wants/web.service",
                "@@deploy:end", ""));
        HostDrift.ServiceState web = facts.drift().services().get("web.service");
        assertThat(web.unlinked()).containsExactly("/etc/systemd/system/web.service",
                "/etc/systemd/system/multi-user.target.wants/web.service");
        assertThat(web.expected()).as("it would not start at the next boot").isFalse();
        assertThat(web.overrides()).as("not an override: deploy's own link is missing").isEmpty();

        DesiredGeneration desired = desired(ssh);
        HostPlan plan = Planner.plan(ssh, desired, applied(desired, facts.drift(), 1L << 30));
        assertThat(plan.hasChanges()).as("status says drifted, so plan must not say no changes").isTrue();
        assertThat(plan.serviceChanges()).containsExactly(new HostPlan.ServiceChange("web",
                HostPlan.ServiceAction.START, Optional.of("not linked")));
        assertThat(plan.unitsRepaired()).as("systemd re-reads the unit once it is linked again").isTrue();
        assertThat(plan.toAdd()).as("nothing is sent").isEmpty();
        assertThat(Planner.plan(local, desired(local), applied(desired(local), facts.drift(), 1L << 30))
                .hasChanges()).as("a local target links no units").isFalse();
    }
}
