package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pure parts of an activation: when systemd must reload, and the service actions that undo a switch. */
class ActivationPlanTest {

    private static GenerationManifest manifest(String... serviceAndUnit) {
        TreeMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>();
        for (int i = 0; i < serviceAndUnit.length; i += 2) {
            services.put(serviceAndUnit[i], new GenerationManifest.ServiceEntry(serviceAndUnit[i + 1],
                    new TreeMap<>(), null));
        }
        return new GenerationManifest(1, 1, "t", "h", new TreeMap<>(), new TreeMap<>(), services);
    }

    @Test
    void noDaemonReloadWhenOnlyInputsChange() {
        assertThat(ActivationScripts.unitsDiffer(manifest("web", "aaa-web.service"), manifest("web", "aaa-web.service")))
                .isFalse();
    }

    @Test
    void daemonReloadWhenAUnitIsAddedRemovedOrChanged() {
        GenerationManifest web = manifest("web", "aaa-web.service");
        assertThat(ActivationScripts.unitsDiffer(web, manifest("web", "bbb-web.service"))).isTrue();
        assertThat(ActivationScripts.unitsDiffer(web, manifest("web", "aaa-web.service", "db", "ccc-db.service"))).isTrue();
        assertThat(ActivationScripts.unitsDiffer(web, manifest())).isTrue();
        assertThat(ActivationScripts.unitsDiffer(null, web)).isTrue();
        assertThat(ActivationScripts.unitsDiffer(null, manifest())).isFalse();
    }

    @Test
    void daemonReloadWhenAUnitWasRepairedAlthoughNoUnitStorePathChanged() {
        GenerationManifest web = manifest("web", "aaa-web.service");
        assertThat(ActivationScripts.reloads(new Activation.Transition(Optional.of(web), web, true, List.of())))
                .isFalse();
        assertThat(ActivationScripts.reloads(new Activation.Transition(Optional.of(web), web, true, List.of(), true)))
                .as("systemd still holds the edited unit").isTrue();
        assertThat(ActivationScripts.reloads(new Activation.Transition(Optional.of(web),
                manifest("web", "bbb-web.service"), true, List.of()))).isTrue();
    }

    @Test
    void goingBackStopsWhatWasStartedStartsWhatWasStoppedAndRestartsWhatWasRestarted() {
        Activation.Transition transition = new Activation.Transition(Optional.of(manifest()), manifest(), true, List.of(
                new HostPlan.ServiceChange("new", HostPlan.ServiceAction.START),
                new HostPlan.ServiceChange("gone", HostPlan.ServiceAction.STOP),
                new HostPlan.ServiceChange("changed", HostPlan.ServiceAction.RESTART)));
        assertThat(ActivationScripts.back(transition)).containsExactly(
                new HostPlan.ServiceChange("new", HostPlan.ServiceAction.STOP),
                new HostPlan.ServiceChange("gone", HostPlan.ServiceAction.START),
                new HostPlan.ServiceChange("changed", HostPlan.ServiceAction.RESTART));
    }
}
