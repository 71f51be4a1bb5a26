package dev.deploy.venv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.deploy.DeployException;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Deployment;
import dev.deploy.inventory.Host;
import dev.deploy.plan.HostPlan;
import dev.deploy.transfer.TransferProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A uv project deployed to a local target with this machine's python3 (standing in for the host): {@code plan} reads
 * only the lock (no request reaches the wheel server, and it works with the server down), apply fetches; dependency
 * groups come from the venv declaration; workspace members and git packages are built on the host with pip.
 */
class VenvPlanAndBuildTest {

    @TempDir
    Path tmp;

    private Path wheels;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fixture() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v python3").start().waitFor() == 0,
                "python3 is needed on this machine, which stands in for the host");
        wheels = tmp.resolve("wheels");
        new TestWheel("shout", "1.0").file("shout.py", "def shout(s):\n    return s.upper()\n").writeTo(wheels);
        new TestWheel("greeter", "1.0")
                .file("greeter/__init__.py", "from shout import shout\ndef greet(name):\n    return shout('hello ' + name)\n")
                .writeTo(wheels);
        new TestWheel("opsy", "2.0").file("opsy.py", "OPS = True\n").writeTo(wheels);
        Path project = Files.createDirectories(tmp.resolve("project/demo"));
        Files.writeString(project.resolve("__init__.py"), "");
        Files.writeString(tmp.resolve("project/pyproject.toml"), """
                [project]
                name = "demo"
                version = "0.1.0"
                """);
        Files.createDirectories(tmp.resolve("modules"));
        module("");
        Files.writeString(tmp.resolve("inventory.yaml"), """
                hosts:
                  here:
                    local: {root: ./state}
                    modules: [app]
                    options: {app.source: path:./project}
                """);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            Path file = wheels.resolve(exchange.getRequestURI().getPath().substring(1));
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void module(String venvExtra) throws IOException {
        Files.writeString(tmp.resolve("modules/app.yaml"), """
                module: app
                options:
                  source: {type: source}
                venvs:
                  app:
                    project: ${source}
                %s
                services:
                  app:
                    exec: ${venvs.app}/bin/python -c pass
                    environment: {PYTHONPATH: "${source}"}
                """.formatted(venvExtra));
    }

    private String wheelEntry(String name, String version, String base) throws IOException {
        Path wheel = wheels.resolve(name + "-" + version + "-py3-none-any.whl");
        return "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n"
                + "source = { registry = \"https://pypi.example/simple\" }\n"
                + (name.equals("greeter") ? "dependencies = [{ name = \"shout\" }]\n" : "")
                + "wheels = [{ url = \"" + base + wheel.getFileName() + "\", hash = \"sha256:"
                + HexFormat.of().formatHex(TestWheel.sha256(Files.readAllBytes(wheel))) + "\", size = "
                + Files.size(wheel) + " }]\n";
    }

    /** The lock: demo needs greeter (needs shout); its group ops adds opsy; {@code more} adds entries. */
    private void writeLock(String base, String rootMore, String more) throws IOException {
        Files.writeString(tmp.resolve("project/uv.lock"), """
                version = 1
                revision = 3
                requires-python = ">=3.8"

                [[package]]
                name = "demo"
                version = "0.1.0"
                source = { editable = "." }
                dependencies = [{ name = "greeter" }%s]

                [package.dev-dependencies]
                ops = [{ name = "opsy" }]
                """.formatted(rootMore) + wheelEntry("greeter", "1.0", base) + wheelEntry("shout", "1.0", base)
                + wheelEntry("opsy", "2.0", base) + more);
    }

    private String served() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private Deployment open() {
        return Deployment.open(tmp.resolve("inventory.yaml"), List.of(), List.of(), Deployment.defaultConnector(false),
                tmp.resolve("cache"));
    }

    @Test
    void planSendsNoRequestToTheWheelServerAndApplyFetchesTheWheels() throws Exception {
        writeLock(served(), "", "");
        String planned;
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            HostPlan plan = deployment.plan(host);
            VenvReport venv = plan.desired().venvs().get(0);
            planned = venv.storePath();
            assertThat(requests).as("plan downloads nothing").isEmpty();
            assertThat(venv.packages()).extracting(VenvReport.PackageLine::file)
                    .containsExactly("greeter-1.0-py3-none-any.whl", "shout-1.0-py3-none-any.whl");
            assertThat(venv.filesToFetch()).isEqualTo(2);
            assertThat(venv.bytesToFetch()).isEqualTo(Files.size(wheels.resolve("greeter-1.0-py3-none-any.whl"))
                    + Files.size(wheels.resolve("shout-1.0-py3-none-any.whl")));
            assertThat(plan.toBuild()).extracting(a -> a.storePath().toString()).containsExactly(planned);
            assertThat(plan.bytesToAdd()).as("only what is built counts").isEqualTo(plan.toAdd().stream()
                    .filter(a -> a.isBuilt()).mapToLong(a -> a.tree().totalBytes()).sum());
            assertThat(tmp.resolve("cache/wheels")).doesNotExist();
        }
        try (Deployment deployment = open()) {
            deployment.buildMissing(1);
            assertThat(requests).containsExactlyInAnyOrder("/greeter-1.0-py3-none-any.whl",
                    "/shout-1.0-py3-none-any.whl");
            Host host = deployment.hosts().get(0);
            ApplyOutcome outcome = deployment.on(host).apply(deployment.desired(host), TransferProgress.NONE);
            assertThat(outcome.succeeded()).isTrue();
            assertThat(deployment.desired(host).venvs().get(0).storePath()).isEqualTo(planned);
        }
        assertThat(tmp.resolve("state/current/roots/venv/app.app").toRealPath().getFileName().toString())
                .isEqualTo(planned);
        try (Deployment deployment = open()) {
            deployment.buildMissing(1);
            Host host = deployment.hosts().get(0);
            assertThat(deployment.plan(host).hasChanges()).isFalse();
            assertThat(deployment.desired(host).venvs().get(0).filesToFetch()).isZero();
        }
        assertThat(requests).as("a venv the host has is not built again").hasSize(2);
    }

    @Test
    void planWorksWithTheWheelServerDownAndApplySaysWhatItCouldNotFetch() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String down = "http://127.0.0.1:" + closedPort + "/";
        writeLock(down, "", "");
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            HostPlan plan = deployment.plan(deployment.hosts().get(0));
            assertThat(plan.hasChanges()).isTrue();
            assertThat(plan.desired().venvs().get(0).packages()).extracting(VenvReport.PackageLine::name)
                    .containsExactly("greeter", "shout");
        }
        try (Deployment deployment = open()) {
            assertThatThrownBy(() -> deployment.buildMissing(1))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("package 'greeter 1.0'")
                    .hasMessageContaining("cannot fetch " + down + "greeter-1.0-py3-none-any.whl");
        }
        assertThat(tmp.resolve("state/store")).as("nothing reached the host").doesNotExist();
    }

    @Test
    void aGroupOfTheVenvDeclarationIsInstalledAndShownAndAnUnknownOneNamesItsPlace() throws Exception {
        writeLock(served(), "", "");
        module("    groups: [ops]");
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            VenvReport venv = deployment.desired(deployment.hosts().get(0)).venvs().get(0);
            assertThat(venv.groups()).containsExactly("ops");
            assertThat(venv.extras()).isEmpty();
            assertThat(venv.packages()).extracting(VenvReport.PackageLine::name)
                    .containsExactly("greeter", "opsy", "shout");
        }
        module("    groups: [ops, nope]");
        try (Deployment deployment = open()) {
            assertThatThrownBy(() -> deployment.prepareAll(1))
                    .isInstanceOf(DeployException.class)
                    .satisfies(e -> {
                        DeployException error = (DeployException) e;
                        assertThat(error.kind()).isEqualTo(DeployException.Kind.INPUT);
                        assertThat(error.location()).hasValueSatisfying(at -> {
                            assertThat(at.file()).endsWith("app.yaml");
                            assertThat(at.line()).isEqualTo(7);
                        });
                        assertThat(error.field()).contains("venvs.app.groups[1]");
                    })
                    .hasMessageEndingWith("package 'demo': has no dependency group 'nope'; it has [ops]");
        }
        assertThat(requests).isEmpty();
    }

    /** A project built by an in-tree PEP 517 backend that writes the wheel with zipfile (no network, no setuptools). */
    private static void tinyProject(Path dir, String name, String version, String moduleSource) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pyproject.toml"), """
                [project]
                name = "%s"
                version = "%s"
                [build-system]
                requires = []
                build-backend = "tiny_backend"
                backend-path = ["."]
                """.formatted(name, version));
        Files.writeString(dir.resolve(name + ".py"), moduleSource);
        Files.writeString(dir.resolve("tiny_backend.py"), """
                import base64, hashlib, os, zipfile
                NAME, VERSION = %s, %s
                def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
                    here = os.path.dirname(os.path.abspath(__file__))
                    info = '%%s-%%s.dist-info' %% (NAME, VERSION)
                    files = {
                        NAME + '.py': open(os.path.join(here, NAME + '.py'), 'rb').read(),
                        info + '/METADATA': ('Metadata-Version: 2.1\\nName: %%s\\nVersion: %%s\\n' %% (NAME, VERSION)).encode(),
                        info + '/WHEEL': b'Wheel-Version: 1.0\\nGenerator: tiny\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
                    }
                    wheel = '%%s-%%s-py3-none-any.whl' %% (NAME, VERSION)
                    record = []
                    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), 'w') as z:
                        for path, data in files.items():
                            z.writestr(path, data)
                            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
                            record.append('%%s,sha256=%%s,%%d' %% (path, digest, len(data)))
                        record.append(info + '/RECORD,,')
                        z.writestr(info + '/RECORD', '\\n'.join(record) + '\\n')
                    return wheel
                """.formatted("'" + name + "'", "'" + version + "'"));
    }

    private static void assumePip() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("python3", "-m", "pip", "--version").start().waitFor() == 0,
                "pip is needed on this machine, which stands in for the host");
    }

    @Test
    void aWorkspaceMemberIsPackedFromTheProjectAndBuiltOnTheHostAtApply() throws Exception {
        assumePip();
        tinyProject(tmp.resolve("project/packages/helper"), "helper", "0.2.0", "def help():\n    return 'helped'\n");
        writeLock(served(), ", { name = \"helper\" }", """

                [[package]]
                name = "helper"
                version = "0.2.0"
                source = { editable = "packages/helper" }
                """);
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            VenvReport venv = deployment.desired(host).venvs().get(0);
            VenvReport.PackageLine helper = venv.packages().stream().filter(p -> p.name().equals("helper"))
                    .findFirst().orElseThrow();
            assertThat(helper.via()).isEqualTo(VenvReport.Via.BUILT_FROM_SOURCE);
            assertThat(helper.describe()).isEqualTo("built on the host at apply from workspace member packages/helper");
            assertThat(tmp.resolve("cache/built-wheels")).as("plan builds nothing").doesNotExist();
            deployment.buildMissing(1);
            ApplyOutcome outcome = deployment.on(host).apply(deployment.desired(host), TransferProgress.NONE);
            assertThat(outcome.succeeded()).isTrue();
        }
        Path venvPython = tmp.resolve("state/current/roots/venv/app.app/bin/python");
        assertThat(run(venvPython.toString(), "-c", "import helper; print(helper.help())")).isEqualTo("helped\n");
    }

    @Test
    void aWorkspaceMemberOutsideTheProjectIsRefusedAtPlanNamingItAndWhatToDo() throws Exception {
        writeLock(served(), ", { name = \"shared\" }", """

                [[package]]
                name = "shared"
                version = "1.0"
                source = { editable = "../shared" }
                """);
        try (Deployment deployment = open()) {
            assertThatThrownBy(() -> deployment.prepareAll(1))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("package 'shared 1.0': is the workspace member editable ../shared, outside "
                            + "the project's source")
                    .hasMessageContaining("move it there, or put a wheel for it in the venv's wheelhouse");
        }
    }

    @Test
    void aGitPackageIsPlannedWithoutTheRepositoryAndBuiltFromThePinnedCommitAtApply() throws Exception {
        assumePip();
        Path repo = tmp.resolve("repos/tools");
        tinyProject(repo.resolve("python/gitdep"), "gitdep", "1.0", "VALUE = 'from git'\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "one");
        String commit = git(repo, "rev-parse", "HEAD").strip();
        String url = repo.toUri().toString().replaceAll("/$", "") + "?subdirectory=python%2Fgitdep&rev=main#" + commit;
        writeLock(served(), ", { name = \"gitdep\" }", """

                [[package]]
                name = "gitdep"
                version = "1.0"
                source = { git = "%s" }
                """.formatted(url));
        Path away = tmp.resolve("repos/away");
        Files.move(repo, away);
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            VenvReport venv = deployment.desired(deployment.hosts().get(0)).venvs().get(0);
            assertThat(venv.packages()).filteredOn(p -> p.name().equals("gitdep")).singleElement()
                    .satisfies(line -> assertThat(line.describe()).isEqualTo("built on the host at apply from git "
                            + repo.toUri().toString().replaceAll("/$", "") + "@" + commit.substring(0, 12)
                            + " (subdirectory python/gitdep)"));
        }
        Files.move(away, repo);
        try (Deployment deployment = open()) {
            deployment.buildMissing(1);
            Host host = deployment.hosts().get(0);
            assertThat(deployment.on(host).apply(deployment.desired(host), TransferProgress.NONE).succeeded())
                    .isTrue();
        }
        Path venvPython = tmp.resolve("state/current/roots/venv/app.app/bin/python");
        assertThat(run(venvPython.toString(), "-c", "import gitdep; print(gitdep.VALUE)")).isEqualTo("from git\n");
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
