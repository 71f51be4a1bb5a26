package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.inventory.ActivationPolicy;
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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The saved-plan format (docs/SAVED-PLANS.md): what it holds, that it reads back equal, and what it refuses. */
class SavedPlanTest {

    private final Host host = new Host("web1", null, new HostTarget.Local(Path.of("/tmp/x")), List.of(), List.of(),
            List.of(), List.of());

    private DesiredGeneration desired(String content) {
        Artifact site = new MemoryTree().file("index.html", content, false).toArtifact("web.site", "path:site");
        Artifact unit = new MemoryTree().file("web.service", "[Service]\n", false).toArtifact("web.service", "unit");
        SortedMap<String, Artifact> roots = new TreeMap<>();
        roots.put("source/web.site", site);
        roots.put("unit/web", unit);
        return DesiredGeneration.of(new EvaluatedHost(host, roots, List.of(new ServiceSpec("web", unit.storePath(),
                new TreeSet<>(Set.of("source/web.site")), Optional.empty()))));
    }

    private static HostState after(DesiredGeneration applied, int number) {
        Set<StorePath> store = new HashSet<>();
        applied.artifacts().forEach(a -> store.add(a.storePath()));
        return new HostState(Optional.of(number), Optional.of(applied.manifest().withNumber(number, "t")),
                List.of(number), store, true, "x86_64", 1);
    }

    private SavedPlan saved() {
        HostPlan plan = Planner.plan(host, desired("two"), after(desired("one"), 1));
        return SavedPlan.of(List.of(plan), "2026-11-29T22:00:00Z", "deploy 0.1.0", "inventory.yaml");
    }

    @Test
    void aSavedPlanHoldsTheBaseTheStorePathsWithTheirHashesAndTheActionsAndReadsBackEqual() {
        SavedPlan saved = saved();
        String json = saved.toJson();
        assertThat(json).contains("\"format\" : \"deploy-plan\"", "\"version\" : 2", "\"generation\" : 1",
                "\"manifestSha256\"", "\"action\" : \"RESTART\"", "\"because\" : [ \"source/web.site\" ]")
                .as("a plan without secrets has no secret fields").doesNotContain("secretKey", "\"secrets\"");
        SavedPlan.HostEntry entry = saved.hosts().get(0);
        assertThat(entry.storePaths()).extracting(SavedPlan.StorePathEntry::role)
                .containsExactly("source/web.site", "unit/web");
        assertThat(entry.storePaths().get(0).send()).isTrue();
        assertThat(entry.storePaths().get(1).send()).as("the unit did not change").isFalse();
        assertThat(entry.storePaths().get(0).path()).startsWith(entry.storePaths().get(0).hash() + "-");
        assertThat(SavedPlan.parse("plan.json", json)).isEqualTo(saved);
        assertThat(SavedPlan.parse("plan.json", json).toJson()).isEqualTo(json);
    }

    @Test
    void theBaseTellsWhatChangedOnTheHost() {
        PlanBase base = PlanBase.of(after(desired("one"), 1), desired("two"));
        assertThat(base.differenceFrom(PlanBase.of(after(desired("one"), 1), desired("two")))).isEmpty();
        assertThat(base.differenceFrom(PlanBase.of(after(desired("two"), 2), desired("two"))).orElseThrow())
                .isEqualTo("the live generation is 2, the plan was made on 1");
        HostState sameNumber = after(desired("three"), 1);
        assertThat(base.differenceFrom(PlanBase.of(sameNumber, desired("two"))).orElseThrow())
                .contains("different manifest");
        HostState received = after(desired("one"), 1);
        Set<StorePath> store = new HashSet<>(received.store());
        store.addAll(desired("two").manifest().storePaths());
        HostState withPath = new HostState(received.currentNumber(), received.current(), received.generations(),
                store, true, "x86_64", 1);
        assertThat(base.differenceFrom(PlanBase.of(withPath, desired("two"))).orElseThrow())
                .startsWith("the store now has ");
    }

    @Test
    void localInputsThatNoLongerProduceThePlannedStorePathsAreBadInputNamingHostAndRole() {
        SavedPlan.HostEntry entry = saved().hosts().get(0);
        SavedPlan.checkReproduced(entry, desired("two"), "plan.json");
        assertThatThrownBy(() -> SavedPlan.checkReproduced(entry, desired("three"), "plan.json"))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(e.getMessage()).contains("web1", "plan.json", "source/web.site",
                            "no longer produce the planned store paths");
                });
    }

    @Test
    void aFileWhoseStorePathListDisagreesWithItsGenerationIsRefusedAsTampered() {
        String json = saved().toJson();
        SavedPlan.HostEntry entry = saved().hosts().get(0);
        String sourcePath = entry.storePaths().get(0).path();
        String otherHash = "a".repeat(32);
        String wrongHash = json.replace("\"hash\" : \"" + entry.storePaths().get(0).hash() + "\"",
                "\"hash\" : \"" + otherHash + "\"");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", wrongHash)).isInstanceOfSatisfying(DeployException.class,
                e -> assertThat(e.getMessage()).contains("p.json", "hosts[0].storePaths",
                        "source/web.site", "does not match the plan's generation"));
        String otherPath = json.replace("\"path\" : \"" + sourcePath + "\"",
                "\"path\" : \"" + otherHash + "-web.site\"");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", otherPath))
                .hasMessageContaining("does not match the plan's generation");
        String twice = json.replaceFirst("\"roots\" : \\{", "\"roots\" : {}, \"roots\" : {");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", twice)).as("a key given twice")
                .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.getMessage())
                        .containsPattern("p\\.json:[0-9]+:[0-9]+").contains("Duplicate field 'roots'"));
        String dropped = json.replaceFirst("(?s)\\{\\s*\"role\" : \"unit/web\".*?\\}", "{}");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", dropped)).isInstanceOf(DeployException.class);
    }

    @Test
    void aFileOfAnotherFormatVersionOrShapeIsBadInputWithFileLineAndField() {
        assertThatThrownBy(() -> SavedPlan.parse("p.json", "{\"format\": \"terraform\"}"))
                .hasMessageContaining("p.json").hasMessageContaining("not a deploy plan file");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", "{\"format\": \"deploy-plan\", \"version\": 3}"))
                .hasMessageContaining("version 3 is not supported");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", "{\"format\": \"deploy-plan\", \"version\": 1}"))
                .as("version 1 did not pin the host's address and activation policy")
                .hasMessageContaining("version 1 is not supported");
        String unknownField = saved().toJson().replace("\"host\" : \"web1\"", "\"host\" : \"web1\", \"extra\": 1");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", unknownField))
                .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.getMessage())
                        .containsPattern("p\\.json:[0-9]+:[0-9]+").contains("extra"));
        String badPath = saved().toJson().replaceFirst("\"source/web.site\" : \"[^\"]+\"",
                "\"source/web.site\" : \"../../etc\"");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", badPath)).hasMessageContaining("no valid store path");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", "{\"format\": \"deploy-plan\", \"version\": 2, "
                + "\"hosts\": []}")).hasMessageContaining("names no host");
        assertThatThrownBy(() -> SavedPlan.parse("p.json", "{\"format\": \"deploy-plan\", \"version\": 2,"))
                .isInstanceOf(DeployException.class).hasMessageContaining("p.json");
    }

    private Host ssh(String address, int port, ActivationPolicy policy) {
        return new Host("web1", null, new HostTarget.Ssh(address, port, "root", Optional.empty(), Optional.empty(),
                Optional.empty(), "/var/lib/deploy"), List.of(), List.of(), List.of(), List.of(), policy);
    }

    private SavedPlan.HostEntry savedFor(Host target) {
        HostPlan plan = Planner.plan(target, desired("two"), after(desired("one"), 1));
        return SavedPlan.of(List.of(plan), "2026-11-29T22:00:00Z", "deploy 0.1.0", "inventory.yaml").hosts().get(0);
    }

    @Test
    void aPlanPinsWhereTheHostIsReachedAndItsActivationPolicySoApplyRefusesAChangedOne() {
        Host planned = ssh("203.0.113.10", 22, ActivationPolicy.DEFAULT);
        SavedPlan.HostEntry entry = savedFor(planned);
        assertThat(entry.target().connection()).isEqualTo("ssh root@203.0.113.10:22");
        assertThat(entry.target().stateDir()).isEqualTo("/var/lib/deploy");
        SavedPlan.checkReproduced(entry, planned, desired("two"), "plan.json");

        for (Host changed : List.of(ssh("203.0.113.99", 22, ActivationPolicy.DEFAULT),
                ssh("203.0.113.10", 2222, ActivationPolicy.DEFAULT),
                ssh("203.0.113.10", 22, new ActivationPolicy(ActivationPolicy.DEFAULT_CONFIRM_TIMEOUT, false,
                        List.of())),
                ssh("203.0.113.10", 22, new ActivationPolicy(java.time.Duration.ofMinutes(5), true, List.of())),
                ssh("203.0.113.10", 22, new ActivationPolicy(ActivationPolicy.DEFAULT_CONFIRM_TIMEOUT, true,
                        List.of("web"))),
                new Host("web1", null, new HostTarget.Local(Path.of("/tmp/x")), List.of(), List.of(), List.of(),
                        List.of()))) {
            assertThatThrownBy(() -> SavedPlan.checkReproduced(entry, changed, desired("two"), "plan.json"))
                    .isInstanceOfSatisfying(DeployException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
                        assertThat(e.getMessage()).contains("web1", "plan.json", "since the plan was made");
                    });
        }
        String json = SavedPlan.of(List.of(Planner.plan(planned, desired("two"), after(desired("one"), 1))),
                "t", "v", "inventory.yaml").toJson();
        SavedPlan read = SavedPlan.parse("plan.json", json);
        assertThat(read.hosts().get(0)).isEqualTo(entry);
        assertThatThrownBy(() -> SavedPlan.parse("p.json", json.replaceFirst("(?s)\"target\" : \\{.*?\\},", "")))
                .as("a plan without its target is incomplete").hasMessageContaining("target");
    }
}
