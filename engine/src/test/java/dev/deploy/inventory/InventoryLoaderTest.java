package dev.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryLoaderTest {

    @TempDir
    Path tmp;

    private Path write(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("inventory.yaml"), yaml);
    }

    private String errorOf(String yaml) throws Exception {
        return InventoryInputErrors.errorOf(tmp, yaml);
    }

    @Test
    void hostsInheritDefaultsThenGroupsThenTheirOwnSettings() throws Exception {
        Inventory inventory = InventoryLoader.load(write("""
                defaults:
                  user: deploy
                  port: 2222
                  tags: [all]
                  modules: [base]
                  options: {base.motd: hello}
                groups:
                  web:
                    port: 22
                    modules: [site]
                    options:
                      site: {port: 8080}
                hosts:
                  web1:
                    address: 10.0.0.1
                    groups: [web]
                    tags: [eu]
                    options: {site.port: 9090}
                  db1:
                    address: db.example
                """));
        Host web1 = inventory.host("web1").orElseThrow();
        HostTarget.Ssh ssh = (HostTarget.Ssh) web1.target();
        assertThat(ssh.user()).isEqualTo("deploy");
        assertThat(ssh.port()).isEqualTo(22);
        assertThat(ssh.stateDir()).isEqualTo("/var/lib/deploy");
        assertThat(web1.tags()).containsExactly("all", "eu");
        assertThat(web1.hasTag("web")).isTrue();
        assertThat(web1.modules()).extracting(ModuleUse::name).containsExactly("base", "site");
        assertThat(web1.options()).extracting(OptionSetting::option).containsExactly("base.motd", "site.port");
        assertThat(web1.options().get(1).value().integer()).isEqualTo(9090);
        HostTarget.Ssh db1 = (HostTarget.Ssh) inventory.host("db1").orElseThrow().target();
        assertThat(db1.port()).isEqualTo(2222);
    }

    @Test
    void localHostsKeepTheirStateUnderTheirRoot() throws Exception {
        Inventory inventory = InventoryLoader.load(write("""
                hosts:
                  laptop:
                    local: {root: state}
                """));
        assertThat(inventory.host("laptop").orElseThrow().target().stateDir()).isEqualTo(tmp.resolve("state").toString());
    }

    @Test
    void unknownFieldNamesFileLineColumnAndFieldAndSuggestsTheNearestKnownOne() throws Exception {
        assertThat(errorOf("""
                hosts:
                  web1:
                    address: 10.0.0.1
                    prot: 22
                """)).isEqualTo("inventory.yaml:4:5: hosts.web1.prot: unknown field 'prot'; did you mean 'port'? (expected one of: "
                + "address, become, becomePasswordCommand, cache, confirmTimeout, connectTimeout, groups, identity, "
                + "jump, knownHosts, local, magicRollback, modules, options, port, secrets, serverAliveCountMax, "
                + "serverAliveInterval, sshConfig, stateDir, tags, takeOver, user)");
    }

    @Test
    void wrongTypeNamesTheField() throws Exception {
        assertThat(errorOf("""
                hosts:
                  web1:
                    address: 10.0.0.1
                    port: twenty-two
                """)).isEqualTo("inventory.yaml:4:11: hosts.web1.port: expected an integer, got \"twenty-two\"");
    }

    @Test
    void duplicateHostIsAnError() throws Exception {
        assertThat(errorOf("""
                hosts:
                  web1: {address: a}
                  web1: {address: b}
                """)).isEqualTo("inventory.yaml:3:3: hosts.web1: duplicate key 'web1'");
    }

    @Test
    void aMistypedValueFromAClosedSetOrAMistypedJumpHostGetsASuggestion() throws Exception {
        assertThat(errorOf("hosts:\n  web1: {address: a, become: sduo}\n"))
                .endsWith("become must be sudo, doas or none, got \"sduo\"; did you mean 'sudo'?");
        assertThat(errorOf("hosts:\n  me: {local: {root: /tmp/x, services: sytemd}}\n"))
                .endsWith("services must be systemd or none, got \"sytemd\"; did you mean 'systemd'?");
        assertThat(errorOf("hosts:\n  bastion: {address: b}\n  web1: {address: a, jump: bastoin}\n"))
                .contains("jump host 'bastoin' is not an SSH host of this inventory; did you mean 'bastion'?");
        assertThatThrownBy(() -> HostOrder.parse("nme")).hasMessageEndingWith("; did you mean 'name'?");
    }

    @Test
    void unknownGroupIsAnErrorSuggestingTheNearestGroup() throws Exception {
        assertThat(errorOf("""
                groups:
                  web: {}
                hosts:
                  web1:
                    address: a
                    groups: [wbe]
                """)).isEqualTo("inventory.yaml:6:14: hosts.web1.groups[0]: unknown group 'wbe'; did you mean 'web'? (groups: web)");
    }

    @Test
    void hostNeedsAnAddressOrLocal() throws Exception {
        assertThat(errorOf("""
                hosts:
                  web1:
                    port: 22
                """)).isEqualTo("inventory.yaml:2:3: hosts.web1: host 'web1' needs 'address' (SSH) or 'local: {root: DIR}'");
    }

    @Test
    void syntaxErrorsNameTheLine() throws Exception {
        assertThat(errorOf("hosts:\n  web1: {address: a\n")).startsWith("inventory.yaml:3:1: invalid YAML:");
    }

    @Test
    void portOutOfRangeIsAnError() throws Exception {
        assertThat(errorOf("""
                hosts:
                  web1: {address: a, port: 70000}
                """)).isEqualTo("inventory.yaml:2:28: hosts.web1.port: port must be between 1 and 65535, got 70000");
    }

    @Test
    void selectorsPickNamesAndTagsInInventoryOrder() throws Exception {
        Inventory inventory = InventoryLoader.load(write("""
                hosts:
                  a: {address: a, tags: [web]}
                  b: {address: b}
                  c: {address: c, tags: [web]}
                """));
        assertThat(HostSelector.select(inventory, List.of("c,b"))).extracting(Host::name).containsExactly("b", "c");
        assertThat(HostSelector.select(inventory, List.of("@web"))).extracting(Host::name).containsExactly("a", "c");
        assertThatThrownBy(() -> HostSelector.select(inventory, List.of("@db")))
                .hasMessageContaining("--on @db: no host in").hasMessageContaining("has tag or group 'db'");
        assertThatThrownBy(() -> HostSelector.select(inventory, List.of("@wbe")))
                .hasMessageEndingWith("has tag or group 'wbe'; did you mean 'web'?");
        assertThatThrownBy(() -> HostSelector.select(inventory, List.of("z")))
                .hasMessageContaining("--on z: no host named 'z'").hasMessageNotContaining("did you mean");
        assertThatThrownBy(() -> HostSelector.select(inventory, List.of("bb")))
                .hasMessageEndingWith("; did you mean 'b'?");
    }

    @Test
    void aSelectorThatNamesNoHostIsAnErrorRatherThanNoHostsOrAllOfThem() throws Exception {
        // deploy apply --on "$HOSTS" with an empty or comma-only variable must not act on the whole fleet.
        Inventory inventory = InventoryLoader.load(write("""
                hosts:
                  a: {address: a}
                """));
        for (String empty : List.of("", ",", " , ", ",,")) {
            assertThatThrownBy(() -> HostSelector.select(inventory, List.of(empty))).as("'" + empty + "'")
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("--on: names no host (give host names or @tags, comma-separated)");
        }
        assertThat(HostSelector.select(inventory, List.of("a,"))).extracting(Host::name).containsExactly("a");
    }
}
