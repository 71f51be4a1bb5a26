package dev.deploy.it.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reviewed plans on a Debian bookworm host running systemd: the uv app ({@link UvAppFixture}) with 500 extra files
 * in its source. A one-line edit plus a dependency bump shows exactly that path and that version change, the plan
 * saved with {@code --out} applies, and the same plan is refused once another apply changed the host.
 */
class PlanDiffSystemdIT {

    private static final String STATE = "/var/lib/deploy";

    @TempDir
    Path dir;

    private UvAppFixture fixture;
    private DebianTestHost host;
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        fixture = UvAppFixture.create(dir);
        for (int i = 0; i < 500; i++) {
            Path page = fixture.project().resolve("static/" + (i % 20) + "/page" + i + ".txt");
            Files.createDirectories(page.getParent());
            Files.writeString(page, "page " + i + "\nsecond line\n");
        }
        host = DebianTestHost.start(TestHostImage.BOOKWORM);
        inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                modulePath: [%s]
                defaults:
                  user: root
                  modules: [python-uv-app]
                  options:
                    python-uv-app.source: path:uvapp
                    python-uv-app.package: uvapp
                    python-uv-app.port: 8080
                hosts:
                """.formatted(bundledModules()) + host.inventoryEntry("deb1"));
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Path bundledModules() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("modules/python-uv-app.yaml"))) {
                return at.resolve("modules");
            }
        }
        throw new IllegalStateException("no modules/python-uv-app.yaml above " + Path.of("").toAbsolutePath());
    }

    private CliRun deploy(String... args) {
        return CliRun.against(inventory, args);
    }

    private String sh(String script) {
        ExecResult result = host.exec("sh", "-c", script);
        assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    private String generation() {
        return sh("readlink " + STATE + "/current").strip();
    }

    @Test
    void aReviewedPlanShowsTheEditedPathAndTheVersionBumpAppliesAndIsRefusedOnceTheHostChanged() throws Exception {
        CliRun first = deploy("apply");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();

        Files.writeString(fixture.project().resolve("static/7/page247.txt"), "page 247\nedited line\n");
        fixture.bumpGreeting("1.0.1");
        Path saved = dir.resolve("reviewed.json");
        CliRun plan = deploy("plan", "--out", saved.toString());
        System.out.println(plan.stdout());
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isZero();
        assertThat(plan.stdout())
                .contains("files: 0 added, 0 removed, 2 changed, 0 mode changed")
                .contains("        ~ static/7/page247.txt\n")
                .contains("        ~ greeting 1.0.0 -> 1.0.1\n")
                .contains("packages: 0 added, 0 removed, 1 upgraded, 0 downgraded")
                .containsPattern("python /usr/bin/python3[.0-9]* \\(cpython 3\\.11\\.[0-9]+ [a-z0-9_]+ glibc")
                .containsPattern("~ restart python-uv-app  \\(.*venv/python-uv-app\\.app");
        assertThat(plan.stdout().lines().filter(l -> l.contains("page"))).as("only the edited page is listed")
                .hasSize(1);
        JsonNode json = new ObjectMapper().readTree(deploy("plan", "--json").stdout());
        JsonNode packages = null;
        for (JsonNode artifact : json.at("/hosts/0/diff/artifacts")) {
            if (artifact.get("kind").asText().equals("venv")) {
                packages = artifact.get("packages");
            }
        }
        assertThat(packages).isNotNull();
        assertThat(packages.toString()).contains("\"name\":\"greeting\",\"from\":\"1.0.0\",\"to\":\"1.0.1\","
                + "\"change\":\"upgraded\"");
        String before = generation();

        CliRun apply = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
        assertThat(generation()).isNotEqualTo(before);
        assertThat(sh("cat " + STATE + "/current/roots/source/python-uv-app.source/static/7/page247.txt"))
                .contains("edited line");
        assertThat(sh("systemctl is-active python-uv-app.service").strip()).isEqualTo("active");

        fixture.bumpGreeting("1.0.2");
        Path stale = dir.resolve("stale.json");
        assertThat(deploy("plan", "--out", stale.toString()).exitCode()).isZero();
        assertThat(deploy("apply").exitCode()).as("another apply changes the host").isZero();
        String afterOther = generation();

        CliRun refused = CliRun.of("apply", "--no-color", stale.toString());
        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(1);
        assertThat(refused.stdout() + refused.stderr()).contains("deb1", "check plan",
                "changed since the plan was made");
        assertThat(generation()).isEqualTo(afterOther);
    }
}
