package dev.deploy.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.host.HostScript;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The exit codes each activation script declares are exactly those its Java enum names. */
class ActivationScriptsTest {

    private static Map<String, Integer> codes(HostScript.ExitCode[] values) {
        return Arrays.stream(values).collect(Collectors.toMap(v -> ((Enum<?>) v).name(), HostScript.ExitCode::code));
    }

    @Test
    void declaredExitsMatchTheEnums() {
        assertThat(HostScript.load(ActivationScripts.class, "activate").declaredExits())
                .isEqualTo(codes(ActivationScripts.Exit.values()));
        assertThat(HostScript.load(ActivationScripts.class, "revert").declaredExits())
                .isEqualTo(codes(ActivationScripts.RevertExit.values()));
        assertThat(HostScript.load(ActivationScripts.class, "confirm").declaredExits())
                .isEqualTo(codes(ActivationScripts.ConfirmExit.values()));
        assertThat(HostScript.load(HostLock.class, "lock").declaredExits()).isEqualTo(codes(HostLock.Exit.values()));
        assertThat(HostScript.load(UnitProbe.class, "unit-probe").declaredExits())
                .isEqualTo(codes(UnitProbe.Exit.values()));
        assertThat(ActivationScripts.RevertExit.values()).extracting(ActivationScripts.RevertExit::name)
                .containsAll(HostScript.load(ActivationScripts.class, "undo").declaredExits().keySet());
    }
}
