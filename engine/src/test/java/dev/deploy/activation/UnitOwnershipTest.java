package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which hosts' unit names are checked for units deploy did not create, before anything changes. */
class UnitOwnershipTest {

    private static final HostState.UnitHolder ADMINS = new HostState.UnitHolder(HostState.UnitHolder.Kind.FOREIGN,
            "/etc/systemd/system/sshd.service", false);

    private static GenerationManifest sshdService() {
        TreeMap<String, GenerationManifest.ServiceEntry> services = new TreeMap<>();
        services.put("sshd", new GenerationManifest.ServiceEntry("unit/sshd", new TreeMap<>(), null));
        return new GenerationManifest(GenerationManifest.FORMAT, 1, "t", "box", new TreeMap<>(), new TreeMap<>(),
                services);
    }

    private static HostState systemdHostWith(HostState.UnitHolder holder) {
        return new HostState(Optional.empty(), Optional.empty(), List.of(), Set.of(), true, "x86_64", -1, Map.of(),
                Optional.empty(), Optional.empty(), Map.of("sshd.service", holder));
    }

    private static Host local(boolean systemd) {
        return new Host("box", null, new HostTarget.Local(Path.of("/tmp/x"), systemd, Optional.empty()), List.of(),
                List.of(), List.of(), List.of());
    }

    @Test
    void aLocalTargetThatRunsServicesRefusesAnAdminsUnitAtPlanTime() {
        assertThatThrownBy(() -> UnitOwnership.check(local(true), sshdService(), systemdHostWith(ADMINS)))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(e.getMessage()).contains("box", "service sshd",
                            "/etc/systemd/system/sshd.service exists and was not made by deploy");
                });
    }

    @Test
    void aLocalTargetThatOnlyRecordsServicesLinksNoUnitAndChecksNone() {
        assertThatCode(() -> UnitOwnership.check(local(false), sshdService(), systemdHostWith(ADMINS)))
                .doesNotThrowAnyException();
    }
}
