package dev.deploy.venv;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deploy.python.TargetEnvironment;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VenvRealizerTest {

    private static final TargetEnvironment BOOKWORM = TargetEnvironment.glibcLinux("3.11.2", "x86_64", 2, 36);
    private static final HostLayout LAYOUT = new HostLayout("/var/lib/deploy");

    @TempDir
    Path tmp;

    private HttpServer server;
    private final AtomicInteger downloads = new AtomicInteger();

    @BeforeEach
    void serveWheels() throws IOException {
        new TestWheel("greeter", "1.0").file("greeter/__init__.py", "def main():\n    print('hi')\n")
                .entryPoints("[console_scripts]\ngreet = greeter:main\n").writeTo(tmp.resolve("wheels"));
        new TestWheel("shout", "1.0").file("shout.py", "V = 1\n").writeTo(tmp.resolve("wheels"));
        new TestWheel("shout", "1.1").file("shout.py", "V = 2\n").file("shout_extra.py", "").writeTo(tmp.resolve("wheels"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            downloads.incrementAndGet();
            byte[] body = Files.readAllBytes(tmp.resolve("wheels").resolve(
                    exchange.getRequestURI().getPath().substring(1)));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String entry(String name, String version) throws IOException {
        String file = name + "-" + version + "-py3-none-any.whl";
        Path wheel = tmp.resolve("wheels").resolve(file);
        return "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n"
                + "source = { registry = \"https://pypi.example/simple\" }\n"
                + (name.equals("greeter") ? "dependencies = [{ name = \"shout\" }]\n" : "")
                + "wheels = [{ url = \"http://127.0.0.1:" + server.getAddress().getPort() + "/" + file
                + "\", hash = \"sha256:" + HexFormat.of().formatHex(TestWheel.sha256(Files.readAllBytes(wheel)))
                + "\" }]\n";
    }

    private VenvRequest request(String shoutVersion) throws IOException {
        String lock = "version = 1\nrevision = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "source = { editable = \".\" }\ndependencies = [{ name = \"greeter\" }]\n"
                + entry("greeter", "1.0") + entry("shout", shoutVersion);
        Artifact project = new MemoryTree()
                .file("pyproject.toml", "[project]\nname = \"app\"\nversion = \"0.1.0\"\n", false)
                .file("uv.lock", lock, false)
                .toArtifact("app.source", "test");
        return new VenvRequest("venv/app.app", "app.yaml: venvs.app", project, Optional.empty(), List.of(), List.of(),
                "python3", Optional.empty());
    }

    @Test
    void aVenvForManyHostsWithTheSamePythonIsPlannedOnceWithoutDownloadsAndBuiltOnceWhenItsFilesAreNeeded()
            throws IOException {
        try (VenvRealizer realizer = new VenvRealizer(new FileCache(tmp.resolve("cache")))) {
            VenvRealizer.RealizedVenv first = realizer.realize(request("1.0"), "web1", LAYOUT, "/usr/bin/python3.11",
                    BOOKWORM, SdistBuilder.NONE);
            for (int host = 2; host <= 10; host++) {
                assertThat(realizer.realize(request("1.0"), "web" + host, LAYOUT, "/usr/bin/python3.11", BOOKWORM,
                        SdistBuilder.NONE)).isSameAs(first);
            }
            assertThat(downloads).as("planning reads only the lock").hasValue(0);
            assertThat(first.artifact().isBuilt()).isFalse();
            assertThat(first.report().filesToFetch()).isEqualTo(2);

            assertThat(first.artifact().tree().fileCount()).isPositive();
            assertThat(downloads).hasValue(2);
            first.artifact().tree();
            assertThat(downloads).as("built once").hasValue(2);

            VenvRealizer.RealizedVenv newerPython = realizer.realize(request("1.0"), "web11", LAYOUT,
                    "/usr/bin/python3.12", TargetEnvironment.glibcLinux("3.12.1", "x86_64", 2, 36), SdistBuilder.NONE);
            assertThat(newerPython.artifact().storePath()).isNotEqualTo(first.artifact().storePath());
            newerPython.artifact().tree();
            assertThat(downloads).hasValue(2);
        }
        try (VenvRealizer nextRun = new VenvRealizer(new FileCache(tmp.resolve("cache")))) {
            VenvRealizer.RealizedVenv again = nextRun.realize(request("1.0"), "web1", LAYOUT, "/usr/bin/python3.11",
                    BOOKWORM, SdistBuilder.NONE);
            assertThat(again.report().filesToFetch()).as("the plan sees the cached wheels").isZero();
            again.artifact().tree();
            assertThat(downloads).as("the cache serves the next run").hasValue(2);
            assertThat(again.artifact().storePath().toString()).endsWith("-venv-app-0.1.0");
        }
    }

    @Test
    void aLockBumpOfOnePackageLeavesTheOtherPackagesFilesByteIdentical() throws IOException {
        try (VenvRealizer realizer = new VenvRealizer(new FileCache(tmp.resolve("cache")))) {
            Artifact before = realizer.realize(request("1.0"), "web1", LAYOUT, "/usr/bin/python3.11", BOOKWORM,
                    SdistBuilder.NONE).artifact();
            Artifact after = realizer.realize(request("1.1"), "web1", LAYOUT, "/usr/bin/python3.11", BOOKWORM,
                    SdistBuilder.NONE).artifact();

            assertThat(after.storePath()).isNotEqualTo(before.storePath());
            Map<String, String> old = files(before);
            Map<String, String> now = files(after);
            Set<String> changed = now.keySet().stream().filter(path -> !now.get(path).equals(old.get(path)))
                    .collect(Collectors.toSet());
            String site = "lib/python3.11/site-packages/";
            assertThat(changed).allMatch(path -> path.startsWith(site + "shout")
                    || path.equals("bin/greet") || path.equals(site + "greeter-1.0.dist-info/RECORD"));
            assertThat(changed).contains(site + "shout.py", site + "shout_extra.py");
            assertThat(now.get(site + "greeter/__init__.py")).isEqualTo(old.get(site + "greeter/__init__.py"));
        }
    }

    private static Map<String, String> files(Artifact artifact) {
        return artifact.tree().entries().stream().filter(e -> e.kind() == TreeEntry.Kind.FILE)
                .collect(Collectors.toMap(TreeEntry::path, TreeEntry::sha256));
    }
}
