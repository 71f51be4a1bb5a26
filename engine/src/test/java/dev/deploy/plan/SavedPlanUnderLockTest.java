package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.ServiceSpec;
import dev.deploy.secret.Secret;
import dev.deploy.secret.SecretKey;
import dev.deploy.secret.SecretValue;
import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A saved plan checked again under the host's lock ({@link SavedPlan.HostEntry#differenceFrom}): apply does exactly
 * what was reviewed or nothing. Drift since the plan (a stopped service, a damaged store path) and a secret whose
 * value changed give apply work the plan did not show, so the plan is refused; secrets of a plan are compared by
 * keyed version, never by value.
 */
class SavedPlanUnderLockTest {

    private final Host host = new Host("web1", null, new HostTarget.Ssh("192.0.2.1", 22, "root", Optional.empty(),
            Optional.empty(), Optional.empty(), "/var/lib/deploy"), List.of(), List.of(), List.of(), List.of());
    private final SecretKey key = SecretKey.random();

    private DesiredGeneration desired(String content, String token) {
        Artifact site = new MemoryTree().file("index.html", content, false).toArtifact("web.site", "path:site");
        Artifact unit = new MemoryTree().file("web.service", "[Service]\n", false).toArtifact("web.service", "unit");
        SortedMap<String, Artifact> roots = new TreeMap<>();
        roots.put("source/web.site", site);
        roots.put("unit/web", unit);
        SortedMap<String, Secret> secrets = new TreeMap<>(Map.of("secret/web.token", new Secret("secret/web.token",
                new Secret.Env("TOKEN"), "root", "root", 0400, SecretValue.of(token.getBytes(StandardCharsets.UTF_8)))));
        return DesiredGeneration.of(new EvaluatedHost(host, roots, List.of(new ServiceSpec("web", unit.storePath(),
                new TreeSet<>(Set.of("source/web.site", "secret/web.token")), Optional.empty())), new TreeMap<>(),
                secrets));
    }

    private HostState applied(DesiredGeneration keyed, HostDrift drift) {
        Set<StorePath> store = new HashSet<>();
        keyed.artifacts().forEach(a -> store.add(a.storePath()));
        return new HostState(Optional.of(1), Optional.of(keyed.manifest().withNumber(1, "t")), List.of(1), store,
                true, "x86_64", 1L << 30, Map.of(), Optional.empty(), Optional.empty(), Map.of(),
                new HostState.SecretFacts(Optional.of(key), new HashSet<>(keyed.manifest().secretVersions().values())),
                drift);
    }

    private static HostDrift running(String active) {
        return new HostDrift(new TreeMap<>(Map.of("web.service", new HostDrift.ServiceState(active,
                active.equals("active") ? "running" : "dead", "loaded"))), new TreeMap<>(), List.of(),
                Optional.empty());
    }

    private SavedPlan.HostEntry saved(HostPlan plan) {
        return SavedPlan.parse("plan.json", SavedPlan.of(List.of(plan), "t", "deploy", "inventory.yaml").toJson())
                .hosts().get(0);
    }

    @Test
    void thePlanMadeAgainUnderTheLockFromTheSameStateIsAccepted() {
        HostState state = applied(desired("one", "t1").keyed(key), running("active"));
        HostPlan plan = Planner.plan(host, desired("two", "t1").keyed(key), state);
        assertThat(saved(plan).differenceFrom(Planner.plan(host, desired("two", "t1").keyed(key), state))).isEmpty();
    }

    @Test
    void aServiceStoppedSinceAPlanWithoutChangesIsRefusedInsteadOfStartedUnreviewed() {
        DesiredGeneration one = desired("one", "t1").keyed(key);
        SavedPlan.HostEntry entry = saved(Planner.plan(host, one, applied(one, running("active"))));
        HostPlan now = Planner.plan(host, one, applied(one, running("inactive")));
        assertThat(entry.differenceFrom(now)).hasValueSatisfying(why -> assertThat(why)
                .isEqualTo("apply would now also start web (was inactive), which the plan does not show"));
    }

    @Test
    void aStorePathDamagedSinceThePlanIsRefusedInsteadOfRepairedUnreviewed() {
        DesiredGeneration one = desired("one", "t1").keyed(key);
        SavedPlan.HostEntry entry = saved(Planner.plan(host, one, applied(one, running("active"))));
        StorePath site = StorePath.parse(one.manifest().roots().get("source/web.site"));
        HostDrift damaged = new HostDrift(running("active").services(), new TreeMap<>(Map.of(site,
                new HostDrift.PathCheck.Damaged("modified", "index.html"))), List.of(), Optional.empty());
        assertThat(entry.differenceFrom(Planner.plan(host, one, applied(one, damaged)))).hasValueSatisfying(why ->
                assertThat(why).isEqualTo("apply would now also repair " + site + ", which the plan does not show"));

        SavedPlan.HostEntry repairing = saved(Planner.plan(host, one, applied(one, damaged)));
        assertThat(repairing.actions().repairs()).containsExactly(site.toString());
        assertThat(repairing.differenceFrom(Planner.plan(host, one, applied(one, damaged)))).isEmpty();
        assertThat(repairing.differenceFrom(Planner.plan(host, one, applied(one, running("active")))))
                .hasValueSatisfying(why -> assertThat(why).startsWith("apply would no longer repair " + site));
    }

    @Test
    void aSavedPlanWithSecretsIsReproducedFromInputsNotYetKeyed() {
        HostState state = applied(desired("one", "t1").keyed(key), running("active"));
        SavedPlan.HostEntry entry = saved(Planner.plan(host, desired("two", "t2").keyed(key), state));
        SavedPlan.checkReproduced(entry, desired("two", "t2"), "plan.json");
    }

    @Test
    void aSecretWhoseValueChangedSinceThePlanIsRefusedByItsKeyedVersion() {
        HostState state = applied(desired("one", "t1").keyed(key), running("active"));
        SavedPlan.HostEntry entry = saved(Planner.plan(host, desired("one", "t2").keyed(key), state));
        assertThat(entry.differenceFrom(Planner.plan(host, desired("one", "t3").keyed(key), state)))
                .hasValueSatisfying(why -> assertThat(why).isEqualTo(
                        "the value of secret web.token differs from the one planned"));
        assertThat(entry.differenceFrom(Planner.plan(host, desired("one", "t2").keyed(key), state))).isEmpty();
    }

    @Test
    void aHostWithoutANamingKeyGetsUnkeyedVersionsInThePlanSoAnotherRandomKeyAtApplyIsNoDifference() {
        HostState fresh = new HostState(Optional.empty(), Optional.empty(), List.of(), Set.of(), true, "x86_64",
                1L << 30);
        SavedPlan.HostEntry entry = saved(Planner.plan(host, desired("one", "t1").keyed(SecretKey.random()), fresh));
        assertThat(entry.generation().secretVersions()).containsEntry("secret/web.token", DesiredGeneration.UNKEYED);
        assertThat(entry.generation().services().get("web").inputs())
                .containsEntry("secret/web.token", DesiredGeneration.UNKEYED);
        assertThat(entry.differenceFrom(Planner.plan(host, desired("one", "t1").keyed(SecretKey.random()), fresh)))
                .isEmpty();
    }
}
