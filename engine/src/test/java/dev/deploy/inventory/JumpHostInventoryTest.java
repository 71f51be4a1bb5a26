package dev.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.become.Become;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jump hosts are hosts (issue 11.4), SSH and become fields, and a missing identity is bad input (issue 9.9). */
class JumpHostInventoryTest {

    @TempDir
    Path tmp;

    private Inventory load(String yaml) throws Exception {
        Files.writeString(tmp.resolve("id_deploy"), "not read at load time");
        return InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"), yaml));
    }

    private static HostTarget.Ssh ssh(Inventory inventory, String name) {
        return (HostTarget.Ssh) inventory.host(name).orElseThrow().target();
    }

    @Test
    void aNamedJumpHostInheritsDefaultsAndGroupsLikeAnyHost() throws Exception {
        Inventory inventory = load("""
                defaults:
                  user: deploy
                  port: 2222
                  identity: id_deploy
                  knownHosts: known_hosts
                groups:
                  bastions: {user: jump}
                hosts:
                  hop1: {address: 10.0.0.1, groups: [bastions]}
                  web: {address: 10.0.0.2, jump: hop1}
                """);
        HostTarget.Ssh jump = ssh(inventory, "web").jump().orElseThrow();
        assertThat(jump.address()).isEqualTo("10.0.0.1");
        assertThat(jump.user()).isEqualTo("jump");
        assertThat(jump.port()).isEqualTo(2222);
        assertThat(jump.identity()).contains(tmp.resolve("id_deploy"));
        assertThat(jump.knownHosts()).contains(tmp.resolve("known_hosts"));
        assertThat(jump.options().name()).isEqualTo("hop1");
    }

    @Test
    void aJumpHostChainsThroughItsOwnJump() throws Exception {
        Inventory inventory = load("""
                hosts:
                  hop1: {address: 10.0.0.1}
                  hop2: {address: 10.0.0.2, jump: hop1}
                  web: {address: 10.0.0.3, jump: hop2}
                """);
        HostTarget.Ssh hop2 = ssh(inventory, "web").jump().orElseThrow();
        assertThat(hop2.options().name()).isEqualTo("hop2");
        assertThat(hop2.jump()).hasValueSatisfying(hop1 -> assertThat(hop1.options().name()).isEqualTo("hop1"));
    }

    @Test
    void theInlineFormInheritsDefaults() throws Exception {
        Inventory inventory = load("""
                defaults:
                  user: deploy
                  port: 2222
                  identity: id_deploy
                hosts:
                  web: {address: 10.0.0.3, jump: {address: 198.51.100.7, user: jump}}
                """);
        HostTarget.Ssh jump = ssh(inventory, "web").jump().orElseThrow();
        assertThat(jump.port()).isEqualTo(2222);
        assertThat(jump.user()).isEqualTo("jump");
        assertThat(jump.identity()).contains(tmp.resolve("id_deploy"));
        assertThat(jump.options().name()).isEqualTo("jump host of web");
    }

    @Test
    void aCycleOfJumpHostsIsAnInputError() {
        assertThatThrownBy(() -> load("""
                hosts:
                  a: {address: 10.0.0.1, jump: b}
                  b: {address: 10.0.0.2, jump: a}
                """)).isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("jump hosts form a cycle: a -> b -> a");
    }

    @Test
    void anInlineJumpInDefaultsIsTheJumpOfEveryHostButNotOfItself() throws Exception {
        Inventory inventory = load("""
                defaults:
                  user: deploy
                  jump: {address: 198.51.100.7, user: jump}
                hosts:
                  web: {address: 10.0.0.3}
                """);
        HostTarget.Ssh jump = ssh(inventory, "web").jump().orElseThrow();
        assertThat(jump.address()).isEqualTo("198.51.100.7");
        assertThat(jump.user()).isEqualTo("jump");
        assertThat(jump.jump()).as("the bastion is reached directly").isEmpty();
    }

    @Test
    void aNamedJumpInDefaultsIsTheJumpOfEveryHostButNotOfItself() throws Exception {
        Inventory inventory = load("""
                defaults:
                  jump: bastion
                hosts:
                  bastion: {address: 198.51.100.7}
                  web: {address: 10.0.0.3}
                """);
        assertThat(ssh(inventory, "bastion").jump()).isEmpty();
        HostTarget.Ssh jump = ssh(inventory, "web").jump().orElseThrow();
        assertThat(jump.options().name()).isEqualTo("bastion");
        assertThat(jump.jump()).isEmpty();
    }

    @Test
    void aHostThatNamesItselfAsItsOwnJumpIsStillAnInputError() {
        assertThatThrownBy(() -> load("""
                hosts:
                  web: {address: 10.0.0.3, jump: web}
                """)).isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("host 'web' cannot be its own jump host");
    }

    @Test
    void aCycleThroughInlineJumpHostsIsAnInputErrorNotAStackOverflow() {
        assertThatThrownBy(() -> load("""
                defaults:
                  jump: {address: 198.51.100.7, jump: {address: 198.51.100.8}}
                hosts:
                  web: {address: 10.0.0.3}
                """)).isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("jump hosts form a cycle");
    }

    @Test
    void aMissingIdentityFileIsBadInputWithItsLocation() {
        assertThatThrownBy(() -> load("""
                defaults:
                  identity: ./no-such-key
                hosts:
                  web: {address: 10.0.0.1}
                """)).isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("inventory.yaml:2:13: defaults.identity: identity file "
                        + tmp.resolve("no-such-key") + " does not exist");
    }

    @Test
    void anAddressThatWouldBeReadAsAnOptionIsRejected() {
        assertThatThrownBy(() -> load("""
                hosts:
                  web: {address: "-oProxyCommand=touch /tmp/pwned"}
                """)).isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("not a host name, address or ssh_config alias");
    }

    @Test
    void becomeAndTimeoutsAreReadPerHostGroupAndDefaults() throws Exception {
        Inventory inventory = load("""
                defaults:
                  become: sudo
                  becomePasswordCommand: pass show deploy
                  connectTimeout: 5s
                  serverAliveInterval: 2
                  serverAliveCountMax: 4
                hosts:
                  web: {address: 10.0.0.1, user: deploy}
                  db: {address: 10.0.0.2, become: none}
                  laptop: {local: {root: state, services: systemd}, become: doas}
                """);
        HostTarget.Ssh web = ssh(inventory, "web");
        assertThat(web.become()).contains(new Become(Become.Method.SUDO, Optional.of("pass show deploy")));
        assertThat(web.options().connectTimeout()).contains(Duration.ofSeconds(5));
        assertThat(web.options().serverAliveInterval()).contains(Duration.ofSeconds(2));
        assertThat(web.options().serverAliveCountMax()).contains(4);
        assertThat(web.options().explicit()).containsExactly("user");
        assertThat(ssh(inventory, "db").become()).isEmpty();
        HostTarget laptop = inventory.host("laptop").orElseThrow().target();
        assertThat(laptop.managesServices()).isTrue();
        assertThat(laptop.become()).contains(new Become(Become.Method.DOAS, Optional.of("pass show deploy")));
        assertThat(web.managesServices()).isTrue();
    }

    @Test
    void aLocalTargetStartsNoServicesUnlessItSaysSystemd() throws Exception {
        Inventory inventory = load("""
                hosts:
                  laptop: {local: {root: state}}
                """);
        assertThat(inventory.host("laptop").orElseThrow().target().managesServices()).isFalse();
    }

    @Test
    void anUnknownBecomeMethodIsAnInputError() {
        assertThatThrownBy(() -> load("""
                hosts:
                  web: {address: 10.0.0.1, become: su}
                """)).isInstanceOf(DeployException.class)
                .hasMessageContaining("hosts.web.become: become must be sudo, doas or none, got \"su\"");
    }
}
