package dev.deploy.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.inventory.HostTarget;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link SshSettingsResolver} makes of odd {@code ssh -G} output. The {@code ssh} here is a fake (a shell
 * script printing fixed lines, as an OpenSSH without the 9.6 checks on user and host names would); the real
 * {@code ssh -G} runs in SshConfigIT.
 */
class SshSettingsResolverTest {

    @TempDir
    Path tmp;

    /** A fake {@code ssh}: prints {@code effective} for a query, nothing for {@code -F /dev/null} (ssh's defaults). */
    private Path fakeSsh(String effective) throws Exception {
        Path output = Files.writeString(tmp.resolve("effective"), effective);
        Path ssh = tmp.resolve("ssh");
        Files.writeString(ssh, """
                #!/bin/sh
                case " $* " in *" -F /dev/null "*) echo 'port 22'; exit 0 ;; esac
                cat '%s'
                """.formatted(output));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        return ssh;
    }

    private SshSettingsResolver.Resolved resolve(Path ssh, String hostYaml) throws Exception {
        Inventory inventory = InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"),
                "hosts:\n  web: " + hostYaml + "\n"));
        HostTarget.Ssh target = (HostTarget.Ssh) inventory.host("web").orElseThrow().target();
        return new SshSettingsResolver(false, Optional.of(ssh), PassphraseSource.none()).resolve("web", target);
    }

    @Test
    void aConnectTimeoutOfZeroInSshConfigKeepsDeploysDeadline() throws Exception {
        Path ssh = fakeSsh("hostname 10.0.0.5\nconnecttimeout 0\nserveralivecountmax 0\n");

        SshSettingsResolver.Resolved resolved = resolve(ssh, "{address: web}");

        // OpenSSH reads 0 as "no limit"; deploy has no network phase without one.
        assertThat(resolved.settings().connectTimeout()).isEqualTo(SshTimeouts.DEFAULT_CONNECT);
        assertThat(resolved.settings().timeouts().serverAliveCountMax()).isEqualTo(1);
    }

    @Test
    void aUserWithShellSyntaxNeverReachesAProxyCommandsShell() throws Exception {
        Path ssh = fakeSsh("hostname 10.0.0.5\nuser x;touch${IFS}/tmp/pwned\nproxycommand nc %h %p -u %r\n");

        assertThatThrownBy(() -> resolve(ssh, "{address: web, user: \"x;touch${IFS}/tmp/pwned\"}"))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("inventory.yaml:2:3: web: user:")
                .hasMessageContaining("ProxyCommand");
    }

    @Test
    void aHostNameWithShellSyntaxNeverReachesAProxyCommandsShell() throws Exception {
        Path ssh = fakeSsh("hostname web$(touch${IFS}/tmp/pwned)\nproxycommand nc %h %p\n");

        assertThatThrownBy(() -> resolve(ssh, "{address: \"web$(touch${IFS}/tmp/pwned)\"}"))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageContaining("address:")
                .hasMessageContaining("ProxyCommand");
    }

    @Test
    void ordinaryValuesAreExpandedIntoTheProxyCommandAsOpenSshDoes() throws Exception {
        Path ssh = fakeSsh("hostname 10.0.0.5\nuser deploy\nport 2222\nproxycommand ssh -W '[%h]:%p' -l %r %n %%\n");

        SshSettings settings = resolve(ssh, "{address: web}").settings();

        assertThat(settings.proxyCommand()).contains("ssh -W '[10.0.0.5]:2222' -l deploy web %");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void verboseOriginsNameTheLineWhereEachInheritedValueWasWritten() throws Exception {
        // Before, a value inherited from defaults or a group was shown at the host's line.
        Path ssh = fakeSsh("hostname 10.0.0.5\n");
        Inventory inventory = InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"), """
                defaults: {port: 2222}
                groups:
                  web: {user: deploy}
                hosts:
                  web1: {address: web1, groups: [web], connectTimeout: 3s}
                """));
        HostTarget.Ssh target = (HostTarget.Ssh) inventory.host("web1").orElseThrow().target();

        SshSettingsResolver.Resolved resolved = new SshSettingsResolver(false, Optional.of(ssh),
                PassphraseSource.none()).resolve("web1", target);

        Path file = tmp.resolve("inventory.yaml");
        assertThat(resolved.origins()).extracting(Object::toString).contains(
                "web1: port 2222 (" + file + ":1:18)",
                "web1: user deploy (" + file + ":3:15)",
                "web1: connectTimeout 3s (" + file + ":5:56)");
    }
}
