package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11.4: the jump-host patterns of {@code inventory-examples/fleet} as written, against real sshds on
 * 127.0.0.1: user, port, key and known_hosts only in {@code defaults}; a jump host named in the inventory (itself a
 * host) and the inline form {@code jump: {address, user}}. Before, both dialled port 22 without a key.
 */
@Timeout(120)
class JumpHostsIT {

    @TempDir
    Path dir;

    @Test
    void namedAndInlineJumpHostsInheritDefaults() throws Exception {
        Path key = SshKeygen.generate(dir.resolve("id_ed25519"), "");
        try (OpenSshServer bastion = OpenSshServer.start(dir.resolve("bastion"), List.of(key), "DEBUG1");
             OpenSshServer target = OpenSshServer.start(dir.resolve("target"), List.of(key))) {
            Files.writeString(dir.resolve("known_hosts"), bastion.knownHostsLine() + "\n" + target.knownHostsLine()
                    + "\n");
            Files.writeString(dir.resolve("site.yaml"), """
                    module: site
                    files:
                      hello: {name: hello.txt, text: "hello from ${host.name}"}
                    """);
            Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                    defaults:
                      user: %s
                      port: %d                 # the bastion's port, only here
                      identity: id_ed25519
                      knownHosts: known_hosts
                      modules: [site]
                    hosts:
                      bastion: {address: 127.0.0.1, stateDir: %s}
                      web2: {address: 127.0.0.1, port: %d, jump: bastion, stateDir: %s}
                      web3:
                        address: 127.0.0.1
                        port: %d
                        jump: {address: 127.0.0.1, user: %s}
                        stateDir: %s
                    """.formatted(System.getProperty("user.name"), bastion.port(), dir.resolve("s-bastion"),
                    target.port(), dir.resolve("s-web2"), target.port(), System.getProperty("user.name"),
                    dir.resolve("s-web3")));

            CliRun apply = CliRun.against(inventory, "apply", "--on", "web2,web3");

            assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
            assertThat(dir.resolve("s-web2/current")).exists();
            assertThat(dir.resolve("s-web3/current")).exists();
            assertThat(bastion.awaitLog("target 127.0.0.1 port " + target.port(), Duration.ofSeconds(5)))
                    .as(bastion.log()).isTrue();
        }
    }

    @Test
    void anErrorOnTheJumpHostNamesItAndTheHop() throws Exception {
        Path key = SshKeygen.generate(dir.resolve("id_ed25519"), "");
        try (OpenSshServer target = OpenSshServer.start(dir.resolve("target"), List.of(key))) {
            Files.writeString(dir.resolve("known_hosts"), target.knownHostsLine() + "\n");
            Files.writeString(dir.resolve("site.yaml"), "module: site\n");
            Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                    defaults: {user: %s, identity: id_ed25519, knownHosts: known_hosts, modules: [site]}
                    hosts:
                      hop1: {address: 127.0.0.1, port: %d}
                      web: {address: 127.0.0.1, port: %d, jump: hop1, stateDir: %s}
                    """.formatted(System.getProperty("user.name"), target.port(), target.port(), dir.resolve("s")));
            // hop1's key is known under its port; the tunnel to web reaches the same sshd, whose key is known too:
            // what fails is the login at the hop, because hop1 logs in as a user that does not exist.
            Files.writeString(inventory, Files.readString(inventory).replace("hop1: {address: 127.0.0.1,",
                    "hop1: {user: no-such-user-x, address: 127.0.0.1,"));

            CliRun apply = CliRun.against(inventory, "apply", "--on", "web");

            assertThat(apply.exitCode()).isEqualTo(1);
            assertThat(apply.stderr()).contains("deploy: error: web: authenticate: jump host hop1: no-such-user-x@"
                    + "127.0.0.1:" + target.port() + " did not accept key");
        }
    }
}
