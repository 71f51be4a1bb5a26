package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy plan} and {@code apply} of a venv module on a local target, through the real CLI. */
class VenvPlanCliTest {

    @TempDir
    Path project;

    private Path inventory;

    @AfterEach
    void removeLinksToTheInterpreter() {
        OutwardLinks.removeUnder(project);
    }

    @BeforeEach
    void writeProject() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v python3").start().waitFor() == 0);
        Path wheels = Files.createDirectories(project.resolve("wheels"));
        Path greeter = MiniWheel.write(wheels, "greeter", "1.0", Map.of("greeter.py", "def main():\n    print('hi')\n",
                "greeter-1.0.dist-info/entry_points.txt", "[console_scripts]\ngreet = greeter:main\n"));
        Path winonly = MiniWheel.write(wheels, "winonly", "1.0", Map.of("winonly.py", ""));
        Files.createDirectories(project.resolve("app"));
        Files.writeString(project.resolve("app/pyproject.toml"),
                "[project]\nname = \"demo\"\nversion = \"0.1.0\"\n[project.scripts]\ndemo = \"greeter:main\"\n");
        Files.writeString(project.resolve("app/uv.lock"), "version = 1\nrevision = 3\n\n"
                + "[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n"
                + "dependencies = [{ name = \"greeter\" }, { name = \"winonly\", marker = \"sys_platform == 'win32'\" }]\n"
                + MiniWheel.lockEntry("greeter", "1.0", greeter, "")
                + MiniWheel.lockEntry("winonly", "1.0", winonly, ""));
        Files.createDirectories(project.resolve("modules"));
        Files.writeString(project.resolve("modules/app.yaml"), """
                module: app
                options:
                  source: {type: source}
                venvs:
                  app:
                    project: ${source}
                services:
                  app:
                    exec: ${venvs.app}/bin/demo
                """);
        inventory = Files.writeString(project.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [app]
                    options:
                      app.source: path:app
                """);
    }

    @Test
    void planListsTheVenvsPackagesAndChosenWheelsAndApplyInstallsIt() throws Exception {
        CliRun plan = CliRun.against(inventory, "plan");
        assertThat(plan.exitCode()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).containsPattern("\\+ venv/app\\.app  [a-z2-7]{32}-venv-demo-0\\.1\\.0\\n")
                .containsPattern("      python /\\S+ \\(cpython 3\\.\\d+\\.\\d+ \\S+ glibc \\d+\\.\\d+\\)\\n")
                .contains("      greeter 1.0  greeter-1.0-py3-none-any.whl\n")
                .contains("      project scripts: demo\n")
                .contains("      1 package; extras: none; groups: none; no fitting wheel in the lock: none\n")
                .contains("      apply downloads 1 file (")
                .doesNotContain("winonly");

        CliRun json = CliRun.against(inventory, "plan", "--json");
        JsonNode venv = new ObjectMapper().readTree(json.stdout()).get("hosts").get(0).get("venvs").get(0);
        assertThat(venv.get("role").asText()).isEqualTo("venv/app.app");
        assertThat(venv.get("packages").get(0).get("wheel").asText()).isEqualTo("greeter-1.0-py3-none-any.whl");
        assertThat(venv.get("packages").get(0).get("via").asText()).isEqualTo("lock-wheel");
        assertThat(venv.get("withoutFittingWheel")).isEmpty();

        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(Files.isExecutable(project.resolve("state/current/roots/venv/app.app/bin/demo"))).isTrue();
        assertThat(CliRun.against(inventory, "plan").stdout()).contains("no changes");
    }

    @Test
    void aWheelThatDoesNotMatchTheLockIsAnInputErrorAndNoHostIsTouched() throws Exception {
        Path lock = project.resolve("app/uv.lock");
        String text = Files.readString(lock);
        int at = text.indexOf("sha256:") + "sha256:".length();
        Files.writeString(lock, text.substring(0, at) + "0".repeat(64) + text.substring(at + 64));

        CliRun apply = CliRun.against(inventory, "apply");

        assertThat(apply.exitCode()).isEqualTo(3);
        assertThat(apply.stderr().strip()).startsWith("deploy: error: uv.lock (").contains("package 'greeter 1.0'")
                .contains("sha256 mismatch: the lock expects " + "0".repeat(64)).doesNotContain("\n");
        assertThat(project.resolve("state/store")).doesNotExist();
    }
}
