package dev.deploy.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import dev.deploy.source.SourceResolver;
import dev.deploy.store.Artifact;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modules shipped in the repository's {@code modules/} load and evaluate, alone and through imports. */
class BundledModulesTest {

    private static final Path BUNDLED = Path.of("..", "modules").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @BeforeEach
    void project() throws Exception {
        // A uv project with no dependencies: evaluating it needs no wheel and no network.
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("pyproject.toml"), """
                [project]
                name = "lnbits"
                version = "1.0.0"
                requires-python = ">=3.10"
                dependencies = []

                [project.scripts]
                lnbits = "lnbits.server:main"
                """);
        Files.writeString(app.resolve("uv.lock"), """
                version = 1
                revision = 3
                requires-python = ">=3.10"

                [[package]]
                name = "lnbits"
                version = "1.0.0"
                source = { editable = "." }
                """);
        Files.createDirectories(app.resolve("lnbits"));
        Files.writeString(app.resolve("lnbits/server.py"), "def main():\n    pass\n");
    }

    private EvaluatedHost evaluate(String inventoryYaml) throws Exception {
        Inventory inventory = InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"), inventoryYaml));
        try (SourceResolver sources = new SourceResolver(tmp.resolve("cache"))) {
            return new HostEvaluator(new ModuleLibrary(List.of(BUNDLED)), sources)
                    .evaluate(inventory, inventory.hosts().get(0));
        }
    }

    private static String unit(EvaluatedHost host, String service) throws Exception {
        Artifact unit = host.roots().get("unit/" + service);
        var entry = unit.tree().entries().stream().filter(e -> e.path().equals(service + ".service")).findFirst()
                .orElseThrow();
        try (InputStream in = unit.contents().open(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pythonUvAppRunsTheEntryPointFromTheVenvWithTheSourceOnPythonPath() throws Exception {
        EvaluatedHost host = evaluate("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [python-uv-app]
                    options:
                      python-uv-app.source: path:app
                      python-uv-app.package: lnbits
                      python-uv-app.args: [--debug]
                      python-uv-app.environment: {A: one, B: two}
                      python-uv-app.extraEnvironment: {B: three}
                """);
        String current = tmp.resolve("state") + "/current/roots";
        String unit = unit(host, "python-uv-app");
        assertThat(unit).contains(
                "ExecStart=" + current + "/venv/python-uv-app.app/bin/lnbits --port 8000 --host 127.0.0.1 --debug\n",
                "Environment=\"PYTHONPATH=" + current + "/source/python-uv-app.source\"\n",
                "Environment=\"A=one\"\n", "Environment=\"B=three\"\n",
                "User=nobody\n", "StateDirectory=lnbits\n", "WorkingDirectory=/var/lib/lnbits\n");
        assertThat(host.services().get(0).inputs()).contains("source/python-uv-app.source", "venv/python-uv-app.app");
        assertThat(host.venvs().get("venv/python-uv-app.app").extras()).isEmpty();
        assertThat(host.services().get(0).healthCheck().orElseThrow().http()).contains("http://127.0.0.1:8000/");
    }

    @Test
    void extrasAndGroupsOfThePythonUvAppModuleReachItsVenv() throws Exception {
        EvaluatedHost host = evaluate("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [python-uv-app]
                    options:
                      python-uv-app.source: path:app
                      python-uv-app.package: lnbits
                      python-uv-app.extras: [postgres, breez]
                      python-uv-app.groups: [prod]
                """);
        assertThat(host.venvs().get("venv/python-uv-app.app").extraNames()).containsExactly("postgres", "breez");
        assertThat(host.venvs().get("venv/python-uv-app.app").groupNames()).containsExactly("prod");
        assertThat(host.venvs().get("venv/python-uv-app.app").groups().get(0).field())
                .isEqualTo("hosts.h1.options.python-uv-app.groups[0]");
        assertThat(host.venvs().get("venv/python-uv-app.app").packageName()).contains("lnbits");
    }

    @Test
    void lnbitsRunsAsLnbitsServiceWithADynamicUserItsSecretsAndTheHostsCaBundle() throws Exception {
        Files.writeString(tmp.resolve("auth-key"), "not-in-any-output\n");
        EvaluatedHost host = evaluate("""
                hosts:
                  h1:
                    local: {root: state}
                    modules: [lnbits]
                    options:
                      lnbits.source: path:app
                      lnbits.extraEnvironment: {LNBITS_BACKEND_WALLET_CLASS: FakeWallet}
                    secrets:
                      lnbits.authSecretKey: {file: auth-key}
                      lnbits.databaseUrl: {file: auth-key}
                """);
        String state = tmp.resolve("state").toString();
        String current = state + "/current/roots";
        String unit = unit(host, "lnbits");
        assertThat(unit).contains(
                "ExecStart=" + current + "/venv/lnbits.app/bin/lnbits --port 5000 --host 0.0.0.0\n",
                "Environment=\"LNBITS_DATA_FOLDER=/var/lib/lnbits\"\n",
                "Environment=\"LNBITS_EXTENSIONS_PATH=/var/lib/lnbits/extensions\"\n",
                "Environment=\"LNBITS_PATH=" + current + "/source/lnbits.source\"\n",
                "Environment=\"LNBITS_ADMIN_UI=true\"\n",
                "Environment=\"LNBITS_BACKEND_WALLET_CLASS=FakeWallet\"\n",
                "Environment=\"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt\"\n",
                "Environment=\"REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt\"\n",
                "User=lnbits\n", "DynamicUser=yes\n", "StateDirectory=lnbits\n",
                "EnvironmentFile=" + state + "/current/secrets/lnbits.authSecretKey\n",
                "EnvironmentFile=" + state + "/current/secrets/lnbits.databaseUrl\n");
        // Optional secrets the inventory does not give are left out; no value is in the unit.
        assertThat(unit).doesNotContain("firstInstallToken", "LoadCredential=", "not-in-any-output");
        assertThat(host.services()).extracting(ServiceSpec::name).containsExactly("lnbits");
        assertThat(host.services().get(0).inputs()).contains("secret/lnbits.authSecretKey",
                "secret/lnbits.databaseUrl");
        assertThat(host.secrets().keySet()).containsExactly("secret/lnbits.authSecretKey", "secret/lnbits.databaseUrl");
    }

    @Test
    void theLnbitsExampleInventoryEvaluatesItsPathSourceHost() throws Exception {
        Path example = Path.of("..", "inventory-examples", "lnbits", "inventory.yaml").toAbsolutePath().normalize();
        String yaml = Files.readString(example);
        assertThat(yaml).contains("lnbits.source: path:lnbits", "lnbits.source: github:lnbits/lnbits/v1.0.0");
        Files.move(tmp.resolve("app"), tmp.resolve("lnbits"));
        Files.createDirectories(tmp.resolve("secrets"));
        Files.writeString(tmp.resolve("secrets/auth-secret-key"), "k".repeat(32));
        // The staging host only: the prod host's git source would need the network.
        Inventory inventory = InventoryLoader.load(Files.writeString(tmp.resolve("inventory.yaml"), yaml));
        assertThat(inventory.hosts()).extracting(h -> h.name()).containsExactly("staging", "prod");
        EvaluatedHost staging;
        try (SourceResolver sources = new SourceResolver(tmp.resolve("cache"))) {
            staging = new HostEvaluator(new ModuleLibrary(List.of(BUNDLED)), sources)
                    .evaluate(inventory, inventory.hosts().get(0));
        }
        assertThat(unit(staging, "lnbits")).contains("--port 5000 --host 127.0.0.1\n",
                "Environment=\"LNBITS_BACKEND_WALLET_CLASS=FakeWallet\"\n", "EnvironmentFile=");
    }
}
