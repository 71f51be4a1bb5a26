package dev.deploy.it.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A uv project ({@link UvAppFixture}: the app plus wheels built here and served on 127.0.0.1) deployed with the
 * bundled {@code python-uv-app} module to two Debian bookworm hosts (CPython 3.11, no network, no uv, no pip):
 * the controller fetches and verifies the locked wheels, the hosts get one venv store path at the same absolute
 * path, byte-compiled on arrival, and run the app's entry point as a systemd service.
 */
class UvAppIT {

    private static final String STATE = "/var/lib/deploy";
    private static final String VENV_ROOT = STATE + "/current/roots/venv/python-uv-app.app";
    private static final String SITE_PACKAGES = "lib/python3.11/site-packages";

    @TempDir
    Path dir;

    private UvAppFixture fixture;
    private final List<DebianTestHost> hosts = new java.util.ArrayList<>();
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        fixture = UvAppFixture.create(dir);
        hosts.add(DebianTestHost.start(TestHostImage.BOOKWORM));
        hosts.add(DebianTestHost.start(TestHostImage.BOOKWORM));
        StringBuilder yaml = new StringBuilder("""
                modulePath: [%s]
                defaults:
                  user: root
                  modules: [python-uv-app]
                  options:
                    python-uv-app.source: path:uvapp
                    python-uv-app.package: uvapp
                    python-uv-app.port: 8080
                    python-uv-app.args: [--title, deployed-uvapp]
                    python-uv-app.environment: {UVAPP_DATA_DIR: /var/lib/uvapp}
                hosts:
                """.formatted(bundledModules()));
        for (int i = 0; i < hosts.size(); i++) {
            DebianTestHost host = hosts.get(i);
            yaml.append(host.inventoryEntry("deb" + (i + 1)));
        }
        inventory = Files.writeString(dir.resolve("inventory.yaml"), yaml.toString());
    }

    @AfterEach
    void stop() {
        hosts.forEach(DebianTestHost::close);
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The repository's modules/ directory, found from the test's working directory upwards. */
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

    private JsonNode applyJson() throws Exception {
        CliRun run = deploy("apply", "--json");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return new ObjectMapper().readTree(run.stdout()).get("hosts");
    }

    private static String sh(DebianTestHost host, String script) {
        ExecResult result = host.exec("sh", "-c", script);
        assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    private static String served(DebianTestHost host) {
        return sh(host, "python3 -c \"import urllib.request; "
                + "print(urllib.request.urlopen('http://127.0.0.1:8080/').read().decode(), end='')\"");
    }

    private static String venv(DebianTestHost host) {
        return sh(host, "readlink -f " + VENV_ROOT).strip();
    }

    private static String store(DebianTestHost host) {
        return sh(host, "ls -a " + STATE + "/store; readlink " + STATE + "/current");
    }

    @Test
    void appliesUvAppAsSystemdServiceOnTwoHostsAndHealthCheckPasses() throws Exception {
        CliRun apply = deploy("apply");
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();

        String venvPath = venv(hosts.get(0));
        assertThat(venvPath).startsWith(STATE + "/store/").contains("-venv-uvapp");
        assertThat(venv(hosts.get(1))).as("the same venv store path on both hosts").isEqualTo(venvPath);
        for (DebianTestHost host : hosts) {
            assertThat(sh(host, "systemctl is-active python-uv-app.service").strip()).isEqualTo("active");
            assertThat(served(host)).startsWith("deployed-uvapp 0.1.0: hello, deploy\n")
                    .contains("greeting 1.0.0, clikit 2.0.0\n", "python 3.11, data /var/lib/uvapp, starts 1\n");

            String packages = sh(host, "ls " + venvPath + "/" + SITE_PACKAGES);
            assertThat(packages.lines()).contains("clikit", "clikit-2.0.0.dist-info", "greeting",
                    "greeting-1.0.0.dist-info").noneMatch(name -> name.startsWith("legacy_shim"))
                    .as("the project runs from its source, it is not installed").noneMatch(n -> n.startsWith("uvapp"));
            assertThat(sh(host, "cat " + venvPath + "/" + SITE_PACKAGES + "/greeting-1.0.0.dist-info/INSTALLER"))
                    .isEqualTo("deploy\n");

            String shebang = "#!" + venvPath + "/bin/python";
            assertThat(sh(host, "head -n 1 " + venvPath + "/bin/" + UvAppFixture.CLIKIT_SCRIPT).strip())
                    .isEqualTo(shebang);
            assertThat(sh(host, "head -n 1 " + venvPath + "/bin/uvapp").strip()).isEqualTo(shebang);
            assertThat(sh(host, venvPath + "/bin/" + UvAppFixture.CLIKIT_SCRIPT)).isEqualTo("clikit 2.0.0\n");

            assertThat(sh(host, "cd " + venvPath + "/" + SITE_PACKAGES + " && find . -name '*.pyc' | sort").lines())
                    .contains("./clikit/__pycache__/__init__.cpython-311.pyc",
                            "./clikit/__pycache__/_table.cpython-311.pyc",
                            "./greeting/__pycache__/__init__.cpython-311.pyc");
            assertThat(sh(host, "find " + venvPath + " ! -type l -perm /222 | head -n 3"))
                    .as("sealed read-only").isEmpty();
        }
        assertThat(fixture.server().requests()).noneMatch(path -> path.contains("legacy_shim"));
    }

    @Test
    void bumpingOneDependencyInTheLockSendsOnlyThatPackagesFiles() throws Exception {
        JsonNode first = applyJson();
        String before = venv(hosts.get(0));
        long firstBytes = first.get(0).get("bytesSent").asLong();

        BuiltWheel bumped = fixture.bumpGreeting("1.0.1");
        long lockBytes = Files.size(fixture.project().resolve("uv.lock"));
        JsonNode second = applyJson();

        // The new greeting's files, the new uv.lock (the project's source is a store path too), plus what names
        // the venv's own path: console scripts' shebangs and the RECORDs that hash them.
        long bound = bumped.installedBytes() + lockBytes + 4 * 1024;
        for (JsonNode host : second) {
            long sent = host.get("bytesSent").asLong();
            System.out.printf("%s: first apply sent %d bytes, the bump sent %d (greeting 1.0.1 installs %d bytes, "
                    + "uv.lock is %d)%n", host.get("host").asText(), firstBytes, sent, bumped.installedBytes(),
                    lockBytes);
            assertThat(host.get("result").asText()).isEqualTo("ok");
            assertThat(sent).as(host.get("host").asText()).isPositive().isLessThanOrEqualTo(bound);
        }
        assertThat(fixture.wheel(UvAppFixture.CLIKIT).installedBytes()).as("resending clikit would fail the bound")
                .isGreaterThan(bound - bumped.installedBytes());
        for (DebianTestHost host : hosts) {
            assertThat(venv(host)).isNotEqualTo(before);
            assertThat(served(host)).contains("greeting 1.0.1, clikit 2.0.0\n", "starts 2\n");
            assertThat(sh(host, "ls " + venv(host) + "/" + SITE_PACKAGES).lines()).contains("greeting-1.0.1.dist-info")
                    .doesNotContain("greeting-1.0.0.dist-info");
        }
    }

    @Test
    void planReadsOnlyTheLockAndWorksWithTheWheelServerDownWhileApplySaysWhatItCouldNotFetch() throws Exception {
        // a greeting no earlier run can have cached, so that apply must fetch it
        BuiltWheel fresh = fixture.bumpGreeting("1.0." + (System.currentTimeMillis() % 1_000_000));
        CliRun plan = deploy("plan", "--json");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isZero();
        assertThat(fixture.server().requests()).as("plan downloads no wheel").isEmpty();
        JsonNode host = new ObjectMapper().readTree(plan.stdout()).get("hosts").get(0);
        JsonNode venv = host.get("venvs").get(0);
        assertThat(venv.get("packages").findValuesAsText("wheel")).contains(fresh.filename(),
                fixture.wheel(UvAppFixture.CLIKIT).filename());
        assertThat(venv.get("filesToFetch").asInt()).isPositive();
        JsonNode pending = null;
        for (JsonNode path : host.get("storePathsToAdd")) {
            if (path.get("storePath").asText().equals(venv.get("storePath").asText())) {
                pending = path;
            }
        }
        assertThat(pending).isNotNull();
        assertThat(pending.get("builtAtApply").asBoolean()).isTrue();
        assertThat(pending.get("files").isNull()).as("a venv's files are counted when it is built").isTrue();

        fixture.server().close();
        CliRun offline = deploy("plan", "--json");
        assertThat(offline.exitCode()).as(offline.stdout() + offline.stderr()).isZero();
        assertThat(new ObjectMapper().readTree(offline.stdout()).get("hosts").get(0).get("venvs").get(0)
                .get("storePath").asText()).isEqualTo(venv.get("storePath").asText());

        String stateListing = "find " + STATE + " 2>/dev/null | sort || true";
        List<String> states = hosts.stream().map(h -> sh(h, stateListing)).toList();
        CliRun apply = deploy("apply");
        System.out.println("apply without the wheel server: " + apply.stderr().strip());
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isEqualTo(3);
        assertThat(apply.stderr().strip()).doesNotContain("\n").contains("cannot fetch", fresh.filename());
        for (int i = 0; i < hosts.size(); i++) {
            assertThat(sh(hosts.get(i), stateListing)).as("deb" + (i + 1) + " untouched").isEqualTo(states.get(i));
        }
    }

    @Test
    void wheelWithWrongSha256IsRefusedBeforeAnythingReachesAHost() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        List<String> stores = hosts.stream().map(UvAppIT::store).toList();

        BuiltWheel bumped = fixture.bumpGreeting("1.0.1");
        String wrong = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("not the wheel".getBytes(StandardCharsets.UTF_8)));
        fixture.lockWrongHash(UvAppFixture.GREETING, wrong);

        CliRun refused = deploy("apply");
        System.out.println("refused: " + refused.stderr().strip());
        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(3);
        assertThat(refused.stderr().strip()).doesNotContain("\n").contains("greeting", wrong, bumped.sha256(),
                bumped.filename());
        assertThat(refused.stderr()).doesNotContain("Exception", "\tat ");
        for (int i = 0; i < hosts.size(); i++) {
            assertThat(store(hosts.get(i))).as("deb" + (i + 1) + "'s store and generation").isEqualTo(stores.get(i));
            assertThat(served(hosts.get(i))).contains("greeting 1.0.0,");
        }
    }
}
