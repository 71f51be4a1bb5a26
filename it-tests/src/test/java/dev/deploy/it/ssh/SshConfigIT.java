package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import dev.deploy.host.ssh.SshSettingsResolver;
import dev.deploy.inventory.HostTarget;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11.1: hosts are resolved through OpenSSH's own resolver ({@code ssh -G}) so that aliases, Host patterns,
 * Match, Include, ProxyJump chains and ProxyCommand behave as for {@code ssh}. Every test uses its own config file
 * ({@code sshConfig:} in the inventory, {@code ssh -F}), never the real ~/.ssh/config.
 */
@Timeout(120)
class SshConfigIT {

    @TempDir
    static Path shared;
    private static Path key;
    private static OpenSshServer target;
    private static OpenSshServer hop1;
    private static OpenSshServer hop2;
    private static Path knownHosts;
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() throws Exception {
        key = SshKeygen.generate(shared.resolve("id_ed25519"), "");
        target = OpenSshServer.start(shared.resolve("target"), List.of(key));
        hop1 = OpenSshServer.start(shared.resolve("hop1"), List.of(key), "DEBUG1");
        hop2 = OpenSshServer.start(shared.resolve("hop2"), List.of(key), "DEBUG1");
        knownHosts = Files.writeString(shared.resolve("known_hosts"), target.knownHostsLine() + "\n"
                + hop1.knownHostsLine() + "\n" + hop2.knownHostsLine() + "\n");
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (OpenSshServer server : new OpenSshServer[]{target, hop1, hop2}) {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Resolves {@code alias} as the address of an inventory host with no SSH fields but {@code sshConfig}. */
    private SshSettingsResolver.Resolved resolve(Path config, String alias) throws Exception {
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                defaults: {sshConfig: %s}
                hosts:
                  web: {address: %s}
                """.formatted(config, alias));
        Inventory loaded = InventoryLoader.load(inventory);
        HostTarget.Ssh ssh = (HostTarget.Ssh) loaded.host("web").orElseThrow().target();
        return new SshSettingsResolver(false, Optional.of(Path.of("/usr/bin/ssh")), PassphraseSource.none())
                .resolve("web", ssh);
    }

    private static String connectionPort(SshSettings settings) throws Exception {
        try (SshConnection ssh = SshConnection.open(settings)) {
            return ssh.run("echo \"$SSH_CONNECTION\"").stdoutText().strip().split(" ")[3];
        }
    }

    @Test
    void anAliasGetsHostNamePortUserAndIdentityFileFromSshConfig() throws Exception {
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host web-alias
                  HostName 127.0.0.1
                  Port %d
                  User %s
                  IdentityFile %s
                  UserKnownHostsFile %s
                  IdentityAgent none
                """.formatted(target.port(), USER, key, knownHosts));

        SshSettingsResolver.Resolved resolved = resolve(config, "web-alias");

        SshSettings settings = resolved.settings();
        assertThat(settings.address()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(target.port());
        assertThat(settings.user()).isEqualTo(USER);
        assertThat(settings.configIdentityFiles()).containsExactly(key);
        assertThat(resolved.origins()).anySatisfy(origin -> {
            assertThat(origin.setting()).isEqualTo("port");
            assertThat(origin.source()).startsWith("ssh_config " + config);
        });
        assertThat(connectionPort(settings)).isEqualTo(String.valueOf(target.port()));
    }

    @Test
    void includeAndMatchApplyAsForSsh() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/web.conf"), """
                Host included
                  HostName 127.0.0.1
                """);
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Include %s/conf.d/*.conf
                Match originalhost included
                  Port %d
                Host *
                  User %s
                  IdentityFile %s
                  UserKnownHostsFile %s
                  IdentityAgent none
                """.formatted(dir, target.port(), USER, key, knownHosts));

        SshSettings settings = resolve(config, "included").settings();

        assertThat(settings.port()).isEqualTo(target.port());
        assertThat(connectionPort(settings)).isEqualTo(String.valueOf(target.port()));
    }

    @Test
    void theInventoryWinsOverSshConfig() throws Exception {
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host web-alias
                  HostName 127.0.0.1
                  Port 1
                  User nobody
                """);
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                defaults: {sshConfig: %s, port: %d, user: %s, connectTimeout: 4s}
                hosts:
                  web: {address: web-alias}
                """.formatted(config, target.port(), USER));
        HostTarget.Ssh ssh = (HostTarget.Ssh) InventoryLoader.load(inventory).host("web").orElseThrow().target();

        SshSettings settings = new SshSettingsResolver(false, Optional.of(Path.of("/usr/bin/ssh")),
                PassphraseSource.none()).resolve("web", ssh).settings();

        assertThat(settings.address()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(target.port());
        assertThat(settings.user()).isEqualTo(USER);
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aTwoHopProxyJumpChainGoesThroughBothHopsInOrder() throws Exception {
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host hop1
                  HostName 127.0.0.1
                  Port %d
                Host hop2
                  HostName 127.0.0.1
                  Port %d
                Host behind-two
                  HostName 127.0.0.1
                  Port %d
                  ProxyJump hop1,hop2
                Host *
                  User %s
                  IdentityFile %s
                  UserKnownHostsFile %s
                  IdentityAgent none
                """.formatted(hop1.port(), hop2.port(), target.port(), USER, key, knownHosts));

        SshSettings settings = resolve(config, "behind-two").settings();

        assertThat(settings.jumpHost()).hasValueSatisfying(second -> {
            assertThat(second.port()).isEqualTo(hop2.port());
            assertThat(second.jumpHost()).hasValueSatisfying(first -> assertThat(first.port()).isEqualTo(hop1.port()));
        });
        assertThat(connectionPort(settings)).isEqualTo(String.valueOf(target.port()));
        assertThat(hop1.awaitLog("target 127.0.0.1 port " + hop2.port(), Duration.ofSeconds(5)))
                .as(hop1.log()).isTrue();
        assertThat(hop2.awaitLog("target 127.0.0.1 port " + target.port(), Duration.ofSeconds(5)))
                .as(hop2.log()).isTrue();
    }

    @Test
    void aProxyCommandCarriesTheConnection() throws Exception {
        Path marker = dir.resolve("proxy-ran");
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host via-proxy
                  HostName 127.0.0.1
                  Port %d
                  ProxyCommand touch %s; exec bash -c 'exec 3<>/dev/tcp/%%h/%%p; cat <&3 & exec cat >&3'
                  User %s
                  IdentityFile %s
                  UserKnownHostsFile %s
                  IdentityAgent none
                """.formatted(target.port(), marker, USER, key, knownHosts));

        SshSettings settings = resolve(config, "via-proxy").settings();

        assertThat(settings.proxyCommand()).hasValueSatisfying(command ->
                assertThat(command).contains("/dev/tcp/127.0.0.1/" + target.port()));
        assertThat(connectionPort(settings)).isEqualTo(String.valueOf(target.port()));
        assertThat(marker).exists();
    }

    @Test
    void aConfigThatSshRejectsIsBadInputNamingTheHost() throws Exception {
        Path config = Files.writeString(dir.resolve("ssh_config"), "Host x\n  NoSuchOption yes\n");

        assertThatThrownBy(() -> resolve(config, "web-alias"))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("inventory.yaml:3:3: web: address: ssh -G web-alias: ")
                .hasMessageContaining("line 2: Bad configuration option: nosuchoption");
    }

    @Test
    void applyAndPlanVerboseThroughAnSshConfigAlias() throws Exception {
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host web-alias
                  HostName 127.0.0.1
                  Port %d
                  User %s
                  IdentityFile %s
                  UserKnownHostsFile %s
                  IdentityAgent none
                """.formatted(target.port(), USER, key, knownHosts));
        Files.writeString(dir.resolve("site.yaml"), """
                module: site
                files:
                  hello: {name: hello.txt, text: "hello"}
                """);
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                defaults: {sshConfig: ssh_config, modules: [site]}
                hosts:
                  web: {address: web-alias, stateDir: %s}
                """.formatted(dir.resolve("state")));

        CliRun plan = CliRun.against(inventory, "plan", "--verbose");
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("web: port " + target.port() + " (ssh_config " + config);
        assertThat(plan.stdout()).contains("web: connectTimeout 15s (default)");

        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(dir.resolve("state/current")).exists();
    }

    /** What the real ssh makes of {@code template} as an IdentityAgent path (it expands those itself in -G). */
    private static String expandedByOpenSsh(Path config, String alias, String template) throws Exception {
        Process ssh = new ProcessBuilder("ssh", "-F", config.toString(), "-o", "IdentityAgent=" + template, "-G",
                alias).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(ssh.getInputStream().readAllBytes());
        assertThat(ssh.waitFor()).isZero();
        return output.lines().filter(line -> line.startsWith("identityagent ")).findFirst().orElseThrow()
                .substring("identityagent ".length());
    }

    @Test
    void identityFileTokensExpandAsOpenSshExpandsThem() throws Exception {
        // Before, %i, %L, %C, %k and ${VAR} stayed in the path as written, and the key was silently not found.
        String template = "~/keys/%C/%d/%h/%i/%k/%L/%l/%n/%p/%r/%u/${HOME}/100%%";
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host tokens
                  HostName 127.0.0.1
                  Port %d
                  User someone
                  HostKeyAlias tokens-key
                  IdentityFile %s
                """.formatted(target.port(), template));

        SshSettings settings = resolve(config, "tokens").settings();

        assertThat(settings.configIdentityFiles())
                .containsExactly(Path.of(expandedByOpenSsh(config, "tokens", template)));
    }

    @Test
    void anIdentityFileTokenSshDoesNotKnowIsBadInputNamingTheHost() throws Exception {
        Path config = Files.writeString(dir.resolve("ssh_config"), "Host odd\n  IdentityFile ~/.ssh/id_%Z\n");

        assertThatThrownBy(() -> resolve(config, "odd"))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("inventory.yaml:3:3: web: address: ssh_config IdentityFile ~/.ssh/id_%Z: unknown"
                        + " token %Z");
    }

    @Test
    void proxyJumpHopsOnOneAddressAreNamedAsWrittenAndTheirPortsAsComingFromProxyJump() throws Exception {
        // Before, every hop was named "127.0.0.1" (an error could not say which one failed) and the hops' user and
        // port were shown as set by the inventory.
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host chained
                  HostName 127.0.0.1
                  Port %d
                  ProxyJump %s@127.0.0.1:%d,ssh://127.0.0.1:1
                Host *
                  IdentityFile %s
                  UserKnownHostsFile %s
                  IdentityAgent none
                """.formatted(target.port(), USER, hop1.port(), key, knownHosts));

        SshSettingsResolver.Resolved resolved = resolve(config, "chained");

        SshSettings second = resolved.settings().jumpHost().orElseThrow();
        assertThat(second.hostName()).isEqualTo("127.0.0.1:1");
        assertThat(second.jumpHost().orElseThrow().hostName()).isEqualTo(USER + "@127.0.0.1:" + hop1.port());
        assertThat(resolved.origins()).anySatisfy(origin -> {
            assertThat(origin.hop()).isEqualTo(USER + "@127.0.0.1:" + hop1.port());
            assertThat(origin.setting()).isEqualTo("port");
            assertThat(origin.source()).isEqualTo("ssh_config ProxyJump of web");
        });
        assertThat(resolved.origins()).noneSatisfy(origin -> assertThat(origin.source()).contains("inventory.yaml"));
        assertThatThrownBy(() -> connectionPort(resolved.settings()))
                .hasMessageContaining("jump host 127.0.0.1:1: ");
    }

    @Test
    void hostKeysInTheFurtherUserAndGlobalKnownHostsFilesAreTrustedAsBySsh() throws Exception {
        // Before, only the first UserKnownHostsFile was read: a host ssh trusts through GlobalKnownHostsFile (keys
        // an organisation distributes in /etc/ssh/ssh_known_hosts) was refused as unknown.
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        Path global = Files.writeString(dir.resolve("global_known_hosts"), target.knownHostsLine() + "\n");
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host global-trust
                  HostName 127.0.0.1
                  Port %d
                  User %s
                  IdentityFile %s
                  UserKnownHostsFile %s %s
                  GlobalKnownHostsFile %s
                  IdentityAgent none
                """.formatted(target.port(), USER, key, empty, dir.resolve("missing_known_hosts"), global));

        SshSettings settings = resolve(config, "global-trust").settings();

        assertThat(settings.knownHostsFile()).isEqualTo(empty);
        assertThat(connectionPort(settings)).isEqualTo(String.valueOf(target.port()));
        assertThat(Files.readString(empty)).as("nothing recorded").isEmpty();
    }

    @Test
    void aHostKeyAliasIsWhatTheHostKeyIsCheckedUnder() throws Exception {
        String hostKey = target.knownHostsLine().substring(target.knownHostsLine().indexOf(' ') + 1);
        Path aliased = Files.writeString(dir.resolve("aliased_known_hosts"), "target-key " + hostKey + "\n");
        Path config = Files.writeString(dir.resolve("ssh_config"), """
                Host by-alias
                  HostName 127.0.0.1
                  Port %d
                  User %s
                  IdentityFile %s
                  UserKnownHostsFile %s
                  HostKeyAlias target-key
                  IdentityAgent none
                """.formatted(target.port(), USER, key, aliased));

        SshSettings settings = resolve(config, "by-alias").settings();

        assertThat(settings.hostKeyAlias()).contains("target-key");
        assertThat(connectionPort(settings)).isEqualTo(String.valueOf(target.port()));
    }
}
