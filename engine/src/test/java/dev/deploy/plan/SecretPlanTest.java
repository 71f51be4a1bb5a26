package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Planning with secrets: keyed versions, what is sent, who restarts, and nothing of a value in a plan's JSON. */
class SecretPlanTest {

    private final Host host = new Host("h1", null, new HostTarget.Local(Path.of("/tmp/x")), List.of(), List.of(),
            List.of(), List.of());
    private final SecretKey key = SecretKey.random();

    private static Secret env(String name, String value) {
        return new Secret("secret/app." + name, new Secret.Env(name.toUpperCase()), "root", "root", 0400,
                SecretValue.of(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Services web (uses token) and worker (uses dbUrl); the same units whatever the values. */
    private DesiredGeneration desired(String token, String dbUrl) {
        Artifact web = new MemoryTree().file("web.service", "[Service]\n", false).toArtifact("web.service", "u");
        Artifact worker = new MemoryTree().file("worker.service", "[Service]\n", false)
                .toArtifact("worker.service", "u");
        SortedMap<String, Artifact> roots = new TreeMap<>(Map.of("unit/web", web, "unit/worker", worker));
        SortedMap<String, Secret> secrets = new TreeMap<>(Map.of("secret/app.token", env("token", token),
                "secret/app.dbUrl", env("dbUrl", dbUrl)));
        return DesiredGeneration.of(new EvaluatedHost(host, roots, List.of(
                new ServiceSpec("web", web.storePath(), new TreeSet<>(Set.of("secret/app.token")), Optional.empty()),
                new ServiceSpec("worker", worker.storePath(), new TreeSet<>(Set.of("secret/app.dbUrl")),
                        Optional.empty())), new TreeMap<>(), secrets));
    }

    private HostState after(DesiredGeneration applied) {
        Set<StorePath> store = new HashSet<>();
        applied.artifacts().forEach(a -> store.add(a.storePath()));
        return new HostState(Optional.of(1), Optional.of(applied.manifest().withNumber(1, "t")), List.of(1), store,
                true, "x86_64", -1, Map.of(), Optional.empty(), Optional.empty(), Map.of(),
                new HostState.SecretFacts(Optional.of(key),
                        new HashSet<>(applied.manifest().secretVersions().values())), HostDrift.NONE);
    }

    @Test
    void aChangedSecretIsTheOnlyOneSentAndRestartsOnlyTheServiceThatUsesIt() {
        DesiredGeneration one = desired("token-1", "db-1").keyed(key);
        HostPlan same = Planner.plan(host, desired("token-1", "db-1").keyed(key), after(one));
        assertThat(same.hasChanges()).isFalse();

        HostPlan plan = Planner.plan(host, desired("token-1", "db-2").keyed(key), after(one));
        assertThat(plan.secretChanges()).containsExactly(new HostPlan.SecretChange("app.dbUrl", HostPlan.Change.CHANGE));
        assertThat(plan.secretsToWrite()).hasSize(1).allMatch(name -> name.endsWith("-app.dbUrl"));
        assertThat(plan.serviceChanges()).containsExactly(
                new HostPlan.ServiceChange("worker", HostPlan.ServiceAction.RESTART));
        assertThat(plan.toAdd()).isEmpty();
    }

    @Test
    void aNewHostGetsEverySecretAndAnUnkeyedGenerationCannotBePlanned() {
        HostState empty = new HostState(Optional.empty(), Optional.empty(), List.of(), Set.of(), true, "x86_64", -1);
        HostPlan plan = Planner.plan(host, desired("t", "d").keyed(key), empty);
        assertThat(plan.secretChanges()).extracting(HostPlan.SecretChange::change)
                .containsOnly(HostPlan.Change.ADD).hasSize(2);
        assertThat(plan.secretsToWrite()).hasSize(2);
        assertThatThrownBy(() -> Planner.plan(host, desired("t", "d"), empty))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neitherThePlanNorTheManifestHoldsAValueOrTheKey() throws Exception {
        DesiredGeneration one = desired("token-VALUE-1", "db-VALUE-1").keyed(key);
        HostPlan plan = Planner.plan(host, desired("token-VALUE-2", "db-VALUE-1").keyed(key), after(one));
        // What a front end serializing the plan's records with Jackson would reach (Optional needs a module).
        String json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(
                List.of(plan.desired().secrets(), plan.desired().manifest(), plan.secretChanges(),
                        plan.secretsToWrite(), plan.state().secrets().key().orElseThrow()));
        String text = plan.toString() + plan.desired().manifest().toJson() + json;
        assertThat(text).doesNotContain("VALUE").doesNotContain(key.hex());
        assertThat(plan.desired().manifest().toJson()).contains("\"secret/app.token\"");
    }

    private HostState after(DesiredGeneration applied, SecretKey hostKey) {
        HostState state = after(applied);
        return new HostState(state.currentNumber(), state.current(), state.generations(), state.store(), true,
                "x86_64", -1, Map.of(), Optional.empty(), Optional.empty(), Map.of(),
                new HostState.SecretFacts(Optional.of(hostKey), state.secrets().versions()), HostDrift.NONE);
    }

    @Test
    void aSavedPlanWithSecretsIsReproducedAndAppliesWhileTheValuesAreThoseItWasMadeWith() {
        HostState state = after(desired("token-1", "db-1").keyed(key));
        HostPlan plan = Planner.plan(host, desired("token-1", "db-2").keyed(key), state);
        SavedPlan saved = SavedPlan.parse("plan.json",
                SavedPlan.of(List.of(plan), "2026-11-30T00:00:00Z", "deploy test", "inventory.yaml").toJson());
        SavedPlan.HostEntry entry = saved.hosts().get(0);

        // What apply checks on the controller (inputs evaluated now, not yet keyed) and then on the host.
        SavedPlan.checkReproduced(entry, desired("token-1", "db-2"), "plan.json");
        assertThat(entry.base().pinsSecrets()).isTrue();
        assertThat(entry.base().differenceFrom(PlanBase.of(state, desired("token-1", "db-2").keyed(key)))).isEmpty();
        assertThat(saved.toJson()).doesNotContain("token-1").doesNotContain("db-2").doesNotContain(key.hex());
    }

    @Test
    void aSavedPlanIsRefusedWhenASecretValueOrTheHostsKeyChangedSinceItWasMade() {
        HostState state = after(desired("token-1", "db-1").keyed(key));
        HostPlan plan = Planner.plan(host, desired("token-1", "db-2").keyed(key), state);
        PlanBase base = SavedPlan.of(List.of(plan), "t", "v", "i").hosts().get(0).base();

        assertThat(base.differenceFrom(PlanBase.of(state, desired("token-1", "db-3").keyed(key))).orElseThrow())
                .isEqualTo("the value of secret app.dbUrl differs from the one planned");
        SecretKey other = SecretKey.random();
        assertThat(base.differenceFrom(PlanBase.of(after(desired("token-1", "db-1").keyed(key), other),
                desired("token-1", "db-2").keyed(other))).orElseThrow())
                .startsWith("the host's secret key is not the one the plan was made with");
    }

    @Test
    void aSavedPlanForAHostWithoutAKeyCannotPinSecretValues() {
        HostState empty = new HostState(Optional.empty(), Optional.empty(), List.of(), Set.of(), true, "x86_64", -1);
        HostPlan plan = Planner.plan(host, desired("t", "d").keyed(SecretKey.random()), empty);
        SavedPlan.HostEntry entry = SavedPlan.of(List.of(plan), "t", "v", "i").hosts().get(0);
        SavedPlan.checkReproduced(entry, desired("t", "other"), "plan.json");
        assertThat(entry.base().pinsSecrets()).isFalse();
        assertThat(entry.base().differenceFrom(PlanBase.of(empty, desired("t", "other").keyed(SecretKey.random()))))
                .isEmpty();
    }

    /** {@code after(applied)} with the drift sections a host prints for its live secret files. */
    private HostState withSecretFiles(HostState state, Map<String, String> files) {
        HostDrift drift = new HostDrift(new TreeMap<>(), new TreeMap<>(), List.of(), Optional.empty(),
                new TreeMap<>(files));
        return new HostState(state.currentNumber(), state.current(), state.generations(), state.store(), true,
                "x86_64", -1, Map.of(), Optional.empty(), Optional.empty(), Map.of(), state.secrets(), drift);
    }

    @Test
    void aLiveSecretFileWhoseModeOrOwnerChangedOrThatIsGoneIsWrittenAgainWithoutRestartingAnything() {
        DesiredGeneration one = desired("token-1", "db-1").keyed(key);
        HostState asWritten = withSecretFiles(after(one), Map.of("app.token", "root root 0 0 0400",
                "app.dbUrl", "root root 0 0 0400"));
        assertThat(Planner.plan(host, one, asWritten).hasChanges()).isFalse();

        HostState chmodded = withSecretFiles(after(one), Map.of("app.token", "root root 0 0 0644",
                "app.dbUrl", "missing"));
        HostPlan plan = Planner.plan(host, one, chmodded);
        assertThat(plan.secretChanges()).containsExactly(
                new HostPlan.SecretChange("app.dbUrl", HostPlan.Change.CHANGE, "missing"),
                new HostPlan.SecretChange("app.token", HostPlan.Change.CHANGE, "root:root 0644"));
        assertThat(plan.secretsToWrite()).hasSize(2);
        assertThat(plan.serviceChanges()).as("only the file's mode is repaired").isEmpty();
        assertThat(plan.hasChanges()).isTrue();
    }
}
