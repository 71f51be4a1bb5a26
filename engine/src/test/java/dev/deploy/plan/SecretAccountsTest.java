package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.LocalConnection;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.secret.Secret;
import dev.deploy.secret.SecretValue;
import dev.deploy.store.HostLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file secret's owner and group must exist on the host: the facts round trip asks the host (getent), and plan
 * refuses a missing one before anything is sent, instead of apply failing at chown after the transfer.
 */
class SecretAccountsTest {

    private static final String VALUE = "value-never-shown-1234";

    private final Host host = new Host("h1", null, new HostTarget.Local(Path.of("/tmp/x")), List.of(), List.of(),
            List.of(), List.of());

    private static Secret file(String name, String owner, String group) {
        return new Secret("secret/app." + name, new Secret.File(), owner, group, 0440,
                SecretValue.of(VALUE.getBytes(StandardCharsets.UTF_8)));
    }

    private DesiredGeneration desired(Secret... secrets) {
        TreeMap<String, Secret> byRole = new TreeMap<>();
        for (Secret secret : secrets) {
            byRole.put(secret.role(), secret);
        }
        return DesiredGeneration.of(new EvaluatedHost(host, new TreeMap<>(), List.of(), new TreeMap<>(), byRole));
    }

    @Test
    void theAccountsAskedAboutAreTheNamedOwnersAndGroupsNotNumericIds() {
        DesiredGeneration desired = desired(file("cert", "www", "ssl-cert"), file("key", "0", "www"),
                file("token", "root", "1000"));
        assertThat(SecretAccounts.accounts(desired)).containsExactly("group ssl-cert", "group www", "user root",
                "user www");
    }

    @Test
    void theHostReportsWhichAccountsItLacks(@TempDir Path state) {
        String me = System.getProperty("user.name");
        HostState facts = HostFacts.gather(new LocalConnection("h1"), new HostLayout(state.toString()), List.of(),
                List.of(), List.of("user " + me, "user no-such-user-4711", "group no-such-group-4711"), "");
        assertThat(facts.secrets().missingAccounts()).containsExactlyInAnyOrder("user no-such-user-4711",
                "group no-such-group-4711");
        assertThat(facts.secrets().checkedAccounts()).contains("user " + me);
    }

    @Test
    void aSecretWhoseOwnerTheHostLacksIsRefusedNamingSecretAndOwnerButNoValue() {
        DesiredGeneration desired = desired(file("cert", "ghost", "nogroup"));
        HostState state = new HostState(java.util.Optional.empty(), java.util.Optional.empty(), List.of(),
                java.util.Set.of(), true, "x86_64", -1, Map.of(), java.util.Optional.empty(),
                java.util.Optional.empty(), Map.of(), new HostState.SecretFacts(java.util.Optional.empty(),
                java.util.Set.of(), false, java.util.Set.of("user ghost", "group nogroup"),
                java.util.Set.of("user ghost")), HostDrift.NONE);
        assertThatThrownBy(() -> SecretAccounts.check(host, desired, state))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST);
                    assertThat(e.host()).contains("h1");
                    assertThat(e.step()).contains("secrets");
                    assertThat(e.getMessage()).contains("app.cert", "owner ghost", "does not exist")
                            .doesNotContain(VALUE);
                });
        HostState fine = new HostState(java.util.Optional.empty(), java.util.Optional.empty(), List.of(),
                java.util.Set.of(), true, "x86_64", -1, Map.of(), java.util.Optional.empty(),
                java.util.Optional.empty(), Map.of(), new HostState.SecretFacts(java.util.Optional.empty(),
                java.util.Set.of(), false, java.util.Set.of("user ghost", "group nogroup"), java.util.Set.of()),
                HostDrift.NONE);
        SecretAccounts.check(host, desired, fine);
        assertThat(SecretAccounts.checked(desired, fine)).isTrue();
        assertThat(SecretAccounts.checked(desired(file("cert", "other", "nogroup")), fine)).isFalse();
    }
}
