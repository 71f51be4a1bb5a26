package dev.deploy.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory's secret sources: file, command, env; literal values refused without repeating them. */
class SecretSourcesTest {

    @TempDir
    Path tmp;

    private Inventory load(String secrets) throws Exception {
        return InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"), """
                defaults:
                  secrets:
                    app.fromDefaults: {env: APP_KEY}
                hosts:
                  h1:
                    local: {root: state}
                    secrets:
                """ + secrets.indent(6)));
    }

    @Test
    void theThreeSourcesAreReadWithTheirLocationsAndMergedKeyByKeyWithDefaults() throws Exception {
        Inventory inventory = load("""
                app.key: {file: keys/app.key}
                app:
                  token: {command: "pass show app/token", timeout: 5s}
                  fromDefaults: {env: OTHER}
                """);
        var secrets = inventory.hosts().get(0).secrets();
        assertThat(secrets).extracting(s -> s.secret()).containsExactly("app.fromDefaults", "app.key", "app.token");
        assertThat(secrets.get(0).source()).isInstanceOf(SecretSource.FromEnv.class)
                .extracting(s -> ((SecretSource.FromEnv) s).variable()).isEqualTo("OTHER");
        SecretSource.FromFile file = (SecretSource.FromFile) secrets.get(1).source();
        assertThat(file.path()).isEqualTo(tmp.resolve("keys/app.key"));
        assertThat(file.field()).isEqualTo("hosts.h1.secrets.app.key.file");
        SecretSource.FromCommand command = (SecretSource.FromCommand) secrets.get(2).source();
        assertThat(command.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(command.perHost()).isFalse();
    }

    @Test
    void aLiteralValueIsRefusedWithHowToGiveItAndWithoutRepeatingIt() {
        assertThatThrownBy(() -> load("app.key: hunter2-literal\n"))
                .isInstanceOf(DeployException.class)
                .satisfies(e -> {
                    DeployException error = (DeployException) e;
                    assertThat(error.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(error.location()).isPresent();
                    assertThat(error.field()).contains("hosts.h1.secrets.app.key");
                })
                .hasMessageContaining("never written in YAML")
                .hasMessageContaining("{file: PATH}").hasMessageContaining("{command:").hasMessageContaining("{env:")
                .hasMessageNotContaining("hunter2-literal");
        assertThatThrownBy(() -> load("app: {key: hunter2-literal}\n")).hasMessageContaining("never written in YAML")
                .hasMessageNotContaining("hunter2-literal");
        assertThatThrownBy(() -> load("app.key: [hunter2-literal]\n")).hasMessageNotContaining("hunter2-literal");
    }

    @Test
    void aSourceNeedsExactlyOneKindAndTimeoutOnlyForCommands() {
        assertThatThrownBy(() -> load("app.key: {file: a, env: B}\n")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> load("app.key: {env: B, timeout: 5s}\n")).hasMessageContaining("command: source only");
        assertThatThrownBy(() -> load("app.key: {env: 'not a name'}\n")).hasMessageContaining("environment variable");
        assertThatThrownBy(() -> load("app.key: {value: x}\n")).isInstanceOf(DeployException.class);
        assertThatThrownBy(() -> load("app.key: {command: x, timeout: 2d}\n")).hasMessageContaining("duration");
    }
}
