package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.source.SourceResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's HTTP health-check URL is rendered from options and must be one the check can request. */
class HealthCheckEvaluationTest {

    @TempDir
    Path tmp;

    private EvaluatedHost evaluate(String http, String port) throws Exception {
        Files.createDirectories(tmp.resolve("modules"));
        Files.writeString(tmp.resolve("modules/web.yaml"), """
                module: web
                options:
                  port: {type: int, default: 8080}
                services:
                  web:
                    exec: /usr/bin/server ${port}
                    healthCheck: {http: "%s", timeout: 7s}
                """.formatted(http));
        Inventory inventory = InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"), """
                hosts:
                  h1:
                    local: {root: state}
                    modules: [web]
                    options: {web.port: %s}
                """.formatted(port)));
        try (SourceResolver sources = new SourceResolver(tmp.resolve("cache"))) {
            return new HostEvaluator(new ModuleLibrary(List.of(tmp.resolve("modules"))), sources)
                    .evaluate(inventory, inventory.hosts().get(0));
        }
    }

    @Test
    void theUrlIsRenderedWithTheHostsOptions() throws Exception {
        HealthCheck check = evaluate("http://127.0.0.1:${port}/health", "9090").services().get(0).healthCheck()
                .orElseThrow();
        assertThat(check.http()).contains("http://127.0.0.1:9090/health");
        assertThat(check.timeoutSeconds()).isEqualTo(7);
    }

    @Test
    void aUrlThatIsNotPlainHttpIsAnInputErrorNamingTheModuleFileAndField() {
        assertThatThrownBy(() -> evaluate("https://127.0.0.1:${port}/", "8080"))
                .isInstanceOf(DeployException.class)
                .satisfies(e -> assertThat(((DeployException) e).kind()).isEqualTo(DeployException.Kind.INPUT))
                .hasMessageEndingWith("modules/web.yaml:7:25: h1: services.web.healthCheck.http: health check URL must start "
                        + "with http:// (https is not checked), got \"https://127.0.0.1:8080/\"");
    }

    @Test
    void aUrlWhosePortOptionRendersBadlyIsAnInputErrorToo() {
        assertThatThrownBy(() -> evaluate("http://127.0.0.1:${port}0/", "65535"))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("services.web.healthCheck.http: health check URL port must be between 1 and 65535");
    }
}
