package dev.deploy.host.ssh;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshSettingsTest {

    @Test
    void defaultsAreSafe() {
        SshSettings settings = SshSettings.of("web1", "web1.example.com", "deploy");

        assertThat(settings.port()).isEqualTo(22);
        assertThat(settings.acceptNewHostKey()).isFalse();
        assertThat(settings.identityFile()).isEmpty();
        assertThat(settings.jumpHost()).isEmpty();
        assertThat(settings.knownHostsFile())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        assertThat(settings.connectTimeout()).isEqualTo(SshSettings.DEFAULT_CONNECT_TIMEOUT);
        assertThat(settings.target()).isEqualTo("deploy@web1.example.com:22");
    }

    @Test
    void portMustBeValid() {
        assertThatThrownBy(() -> SshSettings.of("web1", "127.0.0.1", 70000, "root"))
                .hasMessage("web1: port 70000 is not between 1 and 65535");
    }

    @Test
    void withersChangeOnePart() {
        SshSettings bastion = SshSettings.of("bastion", "127.0.0.1", 2200, "jump");
        SshSettings settings = SshSettings.of("web1", "10.0.0.5", "root")
                .withJumpHost(bastion)
                .withAcceptNewHostKey(true)
                .withIdentityFile(Path.of("/keys/id"));

        assertThat(settings.jumpHost()).contains(bastion);
        assertThat(settings.acceptNewHostKey()).isTrue();
        assertThat(settings.identityFile()).contains(Path.of("/keys/id"));
        assertThat(settings.address()).isEqualTo("10.0.0.5");
    }

    @Test
    void passphraseComesFromTheEnvironmentVariable() {
        PassphraseSource source = PassphraseSource.environment(Map.of("DEPLOY_SSH_PASSPHRASE", "s3cret"))
                .orElse(key -> {
                    throw new AssertionError("not asked when the environment has it");
                });

        assertThat(source.passphraseFor(Path.of("id")))
                .hasValueSatisfying(passphrase -> assertThat(passphrase).isEqualTo("s3cret".toCharArray()));
        assertThat(PassphraseSource.environment(Map.of()).orElse(PassphraseSource.none()).passphraseFor(Path.of("id")))
                .isEmpty();
    }
}
