package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final Host host = new Host("h1", null, new HostTarget.Local(Path.of("/tmp/x")), List.of(), List.of(),
            List.of(), List.of());

    private DesiredGeneration desired(String siteContent, String unitText) {
        Artifact site = new MemoryTree().file("index.html", siteContent, false).toArtifact("web.site", "path:site");
        Artifact unit = new MemoryTree().file("web.service", unitText, false).toArtifact("web.service", "unit web");
        SortedMap<String, Artifact> roots = new TreeMap<>();
        roots.put("source/web.site", site);
        roots.put("unit/web", unit);
        return DesiredGeneration.of(new EvaluatedHost(host, roots,
                List.of(new ServiceSpec("web", unit.storePath(), new java.util.TreeSet<>(Set.of("source/web.site")),
                        Optional.empty()))));
    }

    /** The state a host is in right after applying {@code applied} as generation 1. */
    private HostState afterApplying(DesiredGeneration applied) {
        Set<StorePath> store = new HashSet<>();
        applied.artifacts().forEach(a -> store.add(a.storePath()));
        return new HostState(Optional.of(1), Optional.of(applied.manifest().withNumber(1, "t")), List.of(1), store,
                true, "x86_64", 1);
    }

    @Test
    void freshHostGetsEveryStorePathAndStartsEveryService() {
        DesiredGeneration desired = desired("a", "unit-a");
        HostPlan plan = Planner.plan(host, desired, new HostState(Optional.empty(), Optional.empty(), List.of(),
                Set.of(), true, "x86_64", 1));
        assertThat(plan.toAdd()).hasSize(2);
        assertThat(plan.serviceChanges()).containsExactly(
                new HostPlan.ServiceChange("web", HostPlan.ServiceAction.START));
        assertThat(plan.state().nextGenerationNumber()).isEqualTo(1);
    }

    @Test
    void aLiveGenerationMarkedFailedIsNeverNoChangesAndRestartsItsServices() {
        DesiredGeneration desired = desired("a", "unit-a");
        HostState applied = afterApplying(desired);
        HostState failed = new HostState(applied.currentNumber(), applied.current(), applied.generations(),
                applied.store(), true, "x86_64", 1, java.util.Map.of(),
                Optional.of("2026-01-01T00:00:00Z daemon-reload: could not be undone"), Optional.empty(),
                java.util.Map.of());
        HostPlan plan = Planner.plan(host, desired, failed);
        assertThat(plan.hasChanges()).isTrue();
        assertThat(plan.serviceChanges()).containsExactly(
                new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART));
    }

    @Test
    void noChangesAfterApply() {
        DesiredGeneration desired = desired("a", "unit-a");
        HostPlan plan = Planner.plan(host, desired, afterApplying(desired));
        assertThat(plan.hasChanges()).isFalse();
        assertThat(plan.toAdd()).isEmpty();
    }

    @Test
    void oneChangedSourceAddsExactlyOneStorePathAndRestartsItsService() {
        DesiredGeneration before = desired("a", "unit");
        DesiredGeneration after = desired("b", "unit");
        HostPlan plan = Planner.plan(host, after, afterApplying(before));
        assertThat(plan.toAdd()).extracting(a -> a.storePath().name()).containsExactly("web.site");
        assertThat(plan.rootChanges()).extracting(HostPlan.RootChange::role, HostPlan.RootChange::change)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("source/web.site", HostPlan.Change.CHANGE));
        assertThat(plan.serviceChanges()).containsExactly(
                new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART));
    }

    @Test
    void aChangedUnitRestartsItsService() {
        HostPlan plan = Planner.plan(host, desired("a", "unit-b"), afterApplying(desired("a", "unit-a")));
        assertThat(plan.toAdd()).extracting(a -> a.storePath().name()).containsExactly("web.service");
        assertThat(plan.serviceChanges()).containsExactly(
                new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART));
    }

    @Test
    void aMissingStorePathIsPushedAgainEvenWhenTheManifestIsTheSame() {
        DesiredGeneration desired = desired("a", "unit-a");
        HostState state = afterApplying(desired);
        Set<StorePath> damaged = new HashSet<>(state.store());
        damaged.remove(desired.artifacts().get(0).storePath());
        HostPlan plan = Planner.plan(host, desired, new HostState(state.currentNumber(), state.current(),
                state.generations(), damaged, true, "x86_64", 1));
        assertThat(plan.toAdd()).hasSize(1);
        assertThat(plan.rootChanges()).isEmpty();
    }

    @Test
    void removedServicesAreStopped() {
        GenerationManifest.ServiceEntry keep = new GenerationManifest.ServiceEntry("u2", new TreeMap<>(), null);
        GenerationManifest.ServiceEntry old = new GenerationManifest.ServiceEntry("u1", new TreeMap<>(), null);
        assertThat(Planner.serviceChanges(java.util.Map.of("old", old, "keep", keep), java.util.Map.of("keep", keep)))
                .containsExactly(new HostPlan.ServiceChange("old", HostPlan.ServiceAction.STOP));
    }

    @Test
    void hostFactsAreParsedFromOneScriptOutput() {
        String manifest = desired("a", "u").manifest().withNumber(3, "t").toJson();
        HostState state = HostFacts.parse("h1", "@@deploy:current\ngenerations/3\n@@deploy:manifest\n" + manifest
                + "@@deploy:generations\n1\n3\n.new-4\n@@deploy:store\n" + "a".repeat(32) + "-x\n.incoming-abc\n"
                + "@@deploy:systemd\nyes\n@@deploy:arch\naarch64\n@@deploy:free\n100\n@@deploy:end\n");
        assertThat(state.currentNumber()).contains(3);
        assertThat(state.current().orElseThrow().roots()).containsKey("source/web.site");
        assertThat(state.generations()).containsExactly(1, 3);
        assertThat(state.nextGenerationNumber()).isEqualTo(4);
        assertThat(state.store()).extracting(StorePath::name).containsExactly("x");
        assertThat(state.systemd()).isTrue();
        assertThat(state.arch()).isEqualTo("aarch64");
        assertThat(state.freeBytes()).isEqualTo(102400);
    }
}
