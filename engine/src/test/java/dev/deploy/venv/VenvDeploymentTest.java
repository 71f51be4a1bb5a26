package dev.deploy.venv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Deployment;
import dev.deploy.inventory.Host;
import dev.deploy.plan.HostPlan;
import dev.deploy.transfer.TransferProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A venv module deployed to a local target with the machine's real python3: plan, apply, run its script. */
class VenvDeploymentTest {

    @TempDir
    Path tmp;

    private Path wheels;

    @AfterEach
    void removeLinksToTheInterpreter() {
        OutwardLinks.removeUnder(tmp);
    }

    @BeforeEach
    void fixture() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v python3").start().waitFor() == 0,
                "python3 is needed on this machine, which stands in for the host");
        wheels = tmp.resolve("wheels");
        new TestWheel("shout", "1.0").file("shout.py", "def shout(s):\n    return s.upper()\n").writeTo(wheels);
        new TestWheel("greeter", "1.0")
                .file("greeter/__init__.py", "from shout import shout\ndef greet(name):\n    return shout('hello ' + name)\n"
                        + "def main():\n    print(greet('cli'))\n")
                .entryPoints("[console_scripts]\ngreet = greeter:main\n").writeTo(wheels);
        new TestWheel("winonly", "1.0").file("winonly.py", "").writeTo(wheels);
        Path project = Files.createDirectories(tmp.resolve("project/demo"));
        Files.writeString(project.resolve("__init__.py"), "");
        Files.writeString(project.resolve("cli.py"), "from greeter import greet\ndef main():\n    print(greet('demo'))\n");
        Files.writeString(tmp.resolve("project/pyproject.toml"), """
                [project]
                name = "demo"
                version = "0.1.0"
                dependencies = ["greeter", "winonly; sys_platform == 'win32'"]

                [project.scripts]
                demo-hello = "demo.cli:main"
                """);
        writeLock(Map.of());
        Files.createDirectories(tmp.resolve("modules"));
        Files.writeString(tmp.resolve("modules/app.yaml"), """
                module: app
                options:
                  source: {type: source}
                venvs:
                  app:
                    project: ${source}
                services:
                  app:
                    exec: ${venvs.app}/bin/demo-hello
                    environment: {PYTHONPATH: "${source}"}
                """);
        Files.writeString(tmp.resolve("inventory.yaml"), """
                hosts:
                  here:
                    local: {root: ./state}
                    modules: [app]
                    options: {app.source: path:./project}
                """);
    }

    /** The fixture's uv.lock; {@code hashOverrides} replaces the locked hash of a wheel by file name. */
    private void writeLock(Map<String, String> hashOverrides) throws Exception {
        StringBuilder lock = new StringBuilder("""
                version = 1
                revision = 3
                requires-python = ">=3.8"

                [[package]]
                name = "demo"
                version = "0.1.0"
                source = { editable = "." }
                dependencies = [
                    { name = "greeter" },
                    { name = "winonly", marker = "sys_platform == 'win32'" },
                ]
                """);
        for (String[] pkg : List.of(new String[] {"greeter", "1.0", "shout"}, new String[] {"shout", "1.0", null},
                new String[] {"winonly", "1.0", null})) {
            Path wheel = wheels.resolve(pkg[0] + "-" + pkg[1] + "-py3-none-any.whl");
            String hash = hashOverrides.getOrDefault(wheel.getFileName().toString(),
                    HexFormat.of().formatHex(TestWheel.sha256(Files.readAllBytes(wheel))));
            lock.append("\n[[package]]\nname = \"").append(pkg[0]).append("\"\nversion = \"").append(pkg[1])
                    .append("\"\nsource = { registry = \"https://pypi.example/simple\" }\n");
            if (pkg[2] != null) {
                lock.append("dependencies = [\n    { name = \"").append(pkg[2]).append("\" },\n]\n");
            }
            lock.append("wheels = [\n    { url = \"").append(wheel.toUri()).append("\", hash = \"sha256:")
                    .append(hash).append("\", size = ").append(Files.size(wheel)).append(" },\n]\n");
        }
        Files.writeString(tmp.resolve("project/uv.lock"), lock.toString());
    }

    private Deployment open() {
        return Deployment.open(tmp.resolve("inventory.yaml"), List.of(), List.of(), Deployment.defaultConnector(false),
                tmp.resolve("cache"));
    }

    @Test
    void plansInstallsAndRunsTheVenvOfAUvProjectOnTheHostsPython() throws Exception {
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            HostPlan plan = deployment.plan(host);

            VenvReport venv = plan.desired().venvs().get(0);
            assertThat(venv.role()).isEqualTo("venv/app.app");
            assertThat(venv.packages()).extracting(VenvReport.PackageLine::name).containsExactly("greeter", "shout");
            assertThat(venv.packages()).extracting(VenvReport.PackageLine::file)
                    .containsExactly("greeter-1.0-py3-none-any.whl", "shout-1.0-py3-none-any.whl");
            assertThat(venv.withoutFittingWheel()).isEmpty();
            assertThat(venv.scripts()).containsExactly("demo-hello");
            assertThat(plan.toAdd()).extracting(a -> a.storePath().toString()).contains(venv.storePath());
            assertThat(venv.storePath()).endsWith("-venv-demo-0.1.0");

            ApplyOutcome outcome = deployment.on(host).apply(deployment.desired(host), TransferProgress.NONE);
            assertThat(outcome.succeeded()).isTrue();
        }
        Path state = tmp.resolve("state");
        Path venvRoot = state.resolve("current/roots/venv/app.app");
        assertThat(run(List.of(venvRoot.resolve("bin/demo-hello").toString()),
                Map.of("PYTHONPATH", state.resolve("current/roots/source/app.source").toString())))
                .isEqualTo("HELLO DEMO\n");
        assertThat(run(List.of(venvRoot.resolve("bin/greet").toString()), Map.of())).isEqualTo("HELLO CLI\n");
        try (Stream<Path> files = Files.walk(venvRoot.toRealPath())) {
            assertThat(files.map(Path::toString)).anyMatch(p -> p.endsWith(".pyc") && p.contains("greeter"));
        }
        String manifest = Files.readString(state.resolve("current/manifest.json"));
        assertThat(manifest).contains("\"venv/app.app\"");
        String unit = Files.readString(state.resolve("current/units/app.service"));
        assertThat(unit).contains(state.toRealPath() + "/current/roots/venv/app.app/bin/demo-hello");
    }

    @Test
    void theSameInputsGiveTheSameVenvStorePathAndASecondPlanHasNoChanges() throws Exception {
        String first;
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            first = deployment.desired(host).venvs().get(0).storePath();
            deployment.on(host).apply(deployment.desired(host), TransferProgress.NONE);
        }
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            HostPlan plan = deployment.plan(host);
            assertThat(plan.desired().venvs().get(0).storePath()).isEqualTo(first);
            assertThat(plan.hasChanges()).isFalse();
        }
    }

    @Test
    void aWheelWhoseHashDiffersFromTheLockIsRefusedBeforeAnythingReachesTheHost() throws Exception {
        writeLock(Map.of("shout-1.0-py3-none-any.whl", "0".repeat(64)));
        try (Deployment deployment = open()) {
            assertThatThrownBy(() -> deployment.buildMissing(1))
                    .isInstanceOf(DeployException.class)
                    .satisfies(e -> assertThat(((DeployException) e).kind()).isEqualTo(DeployException.Kind.INPUT))
                    .hasMessageContaining("package 'shout 1.0'")
                    .hasMessageContaining(wheels.resolve("shout-1.0-py3-none-any.whl").toUri().toString())
                    .hasMessageContaining("sha256 mismatch: the lock expects " + "0".repeat(64));
        }
        assertThat(tmp.resolve("state/store")).doesNotExist();
    }

    @Test
    void aPackageWithNoWheelForTheHostIsAnInputErrorListingTheWheelsAndTags() throws Exception {
        String lock = Files.readString(tmp.resolve("project/uv.lock"))
                .replace("shout-1.0-py3-none-any.whl", "shout-1.0-cp311-cp311-win_amd64.whl");
        Files.writeString(tmp.resolve("project/uv.lock"), lock);
        try (Deployment deployment = open()) {
            assertThatThrownBy(() -> deployment.prepareAll(1))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("package 'shout 1.0': no wheel fits host here (cpython 3.")
                    .hasMessageContaining("the lock has shout-1.0-cp311-cp311-win_amd64.whl and no sdist")
                    .hasMessageContaining("py3-none-any");
        }
    }

    @Test
    void aMissingInterpreterIsAHostErrorOnlyForTheVenvThatNeedsIt() throws Exception {
        Files.writeString(tmp.resolve("modules/app.yaml"), Files.readString(tmp.resolve("modules/app.yaml"))
                .replace("    project: ${source}\n", "    project: ${source}\n    python: /nonexistent/python3\n"));
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            assertThatThrownBy(() -> deployment.desired(host))
                    .isInstanceOf(DeployException.class)
                    .satisfies(e -> assertThat(((DeployException) e).kind()).isEqualTo(DeployException.Kind.HOST))
                    .hasMessage("here: venv app.app: python interpreter /nonexistent/python3 not found on the host; "
                            + "install it (e.g. apt-get install python3) or set the venv's 'python'");
        }
    }

    /** Makes {@code shout} sdist-only in the lock: its wheels are replaced by {@code sdist}. */
    private void lockShoutAsSdistOnly(Path sdist) throws Exception {
        String lock = Files.readString(tmp.resolve("project/uv.lock"));
        String hash = HexFormat.of().formatHex(TestWheel.sha256(Files.readAllBytes(sdist)));
        lock = lock.replaceAll("wheels = \\[\n    \\{ url = \"[^\"]*shout-1.0-py3-none-any.whl\"[^\n]*\n\\]\n",
                java.util.regex.Matcher.quoteReplacement("sdist = { url = \"" + sdist.toUri() + "\", hash = \"sha256:"
                        + hash + "\", size = " + Files.size(sdist) + " }\n"));
        assertThat(lock).contains("shout-1.0.tar.gz");
        Files.writeString(tmp.resolve("project/uv.lock"), lock);
    }

    /** An sdist of {@code shout} 1.0 whose in-tree build backend writes the wheel with zipfile (no network). */
    private Path shoutSdist(String buildBackend) throws Exception {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("shout-1.0/PKG-INFO", "Metadata-Version: 2.1\nName: shout\nVersion: 1.0\n");
        files.put("shout-1.0/pyproject.toml", "[build-system]\nrequires = []\nbuild-backend = \"" + buildBackend
                + "\"\nbackend-path = [\".\"]\n");
        files.put("shout-1.0/tiny_backend.py", """
                import base64, hashlib, os, zipfile
                FILES = {
                    'shout.py': b'def shout(s):\\n    return s.upper()\\n',
                    'shout-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: shout\\nVersion: 1.0\\n',
                    'shout-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: tiny\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
                }
                def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
                    name = 'shout-1.0-py3-none-any.whl'
                    record = []
                    with zipfile.ZipFile(os.path.join(wheel_directory, name), 'w') as z:
                        for path, data in FILES.items():
                            z.writestr(path, data)
                            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
                            record.append('%s,sha256=%s,%d' % (path, digest, len(data)))
                        record.append('shout-1.0.dist-info/RECORD,,')
                        z.writestr('shout-1.0.dist-info/RECORD', '\\n'.join(record) + '\\n')
                    return name
                """);
        Path sdist = tmp.resolve("sdists/shout-1.0.tar.gz");
        Files.createDirectories(sdist.getParent());
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(sdist)))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(file.getKey());
                entry.setSize(bytes.length);
                out.putArchiveEntry(entry);
                out.write(bytes);
                out.closeArchiveEntry();
            }
        }
        return sdist;
    }

    @Test
    void anSdistOnlyPackageIsBuiltOnTheHostWithPipAndRuns() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("python3", "-m", "pip", "--version").start().waitFor() == 0,
                "pip is needed on this machine, which stands in for the host");
        lockShoutAsSdistOnly(shoutSdist("tiny_backend"));
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            VenvReport venv = deployment.desired(host).venvs().get(0);
            assertThat(venv.withoutFittingWheel()).extracting(VenvReport.PackageLine::name).containsExactly("shout");
            assertThat(venv.withoutFittingWheel().get(0).via()).isEqualTo(VenvReport.Via.BUILT_FROM_SDIST);
            assertThat(venv.withoutFittingWheel().get(0).file()).isEqualTo("shout-1.0.tar.gz");
            assertThat(tmp.resolve("cache/built-wheels")).as("plan builds nothing").doesNotExist();
            deployment.on(host).apply(deployment.desired(host), TransferProgress.NONE);
        }
        Path state = tmp.resolve("state");
        assertThat(run(List.of(state.resolve("current/roots/venv/app.app/bin/greet").toString()), Map.of()))
                .isEqualTo("HELLO CLI\n");
        try (Stream<Path> built = Files.walk(tmp.resolve("cache/built-wheels"))) {
            assertThat(built.map(p -> p.getFileName().toString())).contains("shout-1.0-py3-none-any.whl");
        }
    }

    @Test
    void aFailedSdistBuildNamesThePackageAndTheMissingBuildBackend() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("python3", "-m", "pip", "--version").start().waitFor() == 0,
                "pip is needed on this machine, which stands in for the host");
        lockShoutAsSdistOnly(shoutSdist("no_such_backend_xyz"));
        try (Deployment deployment = open()) {
            assertThatThrownBy(() -> deployment.buildMissing(1))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("package 'shout 1.0': building it from its sdist on host here failed: ")
                    .hasMessageContaining("no_such_backend_xyz");
        }
        assertThat(tmp.resolve("state/store")).doesNotExist();
    }

    @Test
    void anSdistOnlyPackageTakesAMatchingWheelFromTheWheelhouse() throws Exception {
        lockShoutAsSdistOnly(shoutSdist("tiny_backend"));
        Path wheelhouse = Files.createDirectories(tmp.resolve("wheelhouse"));
        Files.copy(wheels.resolve("shout-1.0-py3-none-any.whl"), wheelhouse.resolve("shout-1.0-py3-none-any.whl"));
        Files.writeString(tmp.resolve("modules/app.yaml"), Files.readString(tmp.resolve("modules/app.yaml"))
                .replace("  source: {type: source}\n", "  source: {type: source}\n  wheels: {type: source}\n")
                .replace("    project: ${source}\n", "    project: ${source}\n    wheelhouse: ${wheels}\n"));
        Files.writeString(tmp.resolve("inventory.yaml"), Files.readString(tmp.resolve("inventory.yaml"))
                .replace("{app.source: path:./project}", "{app.source: path:./project, app.wheels: path:./wheelhouse}"));
        try (Deployment deployment = open()) {
            deployment.prepareAll(1);
            Host host = deployment.hosts().get(0);
            VenvReport venv = deployment.desired(host).venvs().get(0);
            assertThat(venv.withoutFittingWheel()).singleElement()
                    .satisfies(line -> assertThat(line.via()).isEqualTo(VenvReport.Via.WHEELHOUSE));
            deployment.on(host).apply(deployment.desired(host), TransferProgress.NONE);
        }
        assertThat(run(List.of(tmp.resolve("state/current/roots/venv/app.app/bin/greet").toString()), Map.of()))
                .isEqualTo("HELLO CLI\n");
        assertThat(tmp.resolve("cache/built-wheels")).doesNotExist();
    }

    private static String run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
