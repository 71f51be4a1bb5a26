package dev.deploy.it.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The uv project the Python integration tests deploy, made locally: the app {@code uvapp} (copied from
 * {@code fixtures/uvapp} on the test classpath), three dependencies built as wheels with {@link WheelBuilder} and
 * served by a {@link WheelServer} on 127.0.0.1, and a {@code uv.lock} (version 1, revision 3) whose URLs, sizes and
 * sha256s are those wheels'.
 *
 * <ul>
 *   <li>{@value #GREETING}: pure {@code py3-none-any}; the app's page shows its version, which tests bump.</li>
 *   <li>{@value #CLIKIT}: has a console script, {@value #CLIKIT_SCRIPT}, and about 50 KB of code.</li>
 *   <li>{@value #LEGACY}: required only when {@code python_full_version < '3.9'}, so never on the hosts.</li>
 * </ul>
 */
public final class UvAppFixture implements AutoCloseable {

    public static final String GREETING = "greeting";
    public static final String CLIKIT = "clikit";
    public static final String CLIKIT_SCRIPT = "clikit-hello";
    public static final String LEGACY = "legacy-shim";
    /** The marker that keeps {@value #LEGACY} off any Python from 3.9 on. */
    public static final String LEGACY_MARKER = "python_full_version < '3.9'";

    private final Path project;
    private final Path wheelDir;
    private final WheelServer server;
    private final Map<String, BuiltWheel> wheels = new TreeMap<>();
    private final Map<String, String> lockedHashes = new TreeMap<>();

    private UvAppFixture(Path project, Path wheelDir) {
        this.project = project;
        this.wheelDir = wheelDir;
        this.server = WheelServer.serve(wheelDir);
    }

    /** Makes the project in {@code dir}/uvapp and its wheels in {@code dir}/wheels, and starts serving them. */
    public static UvAppFixture create(Path dir) {
        UvAppFixture fixture = new UvAppFixture(dir.resolve("uvapp"), dir.resolve("wheels"));
        try {
            copyApp(fixture.project);
        } catch (IOException e) {
            fixture.close();
            throw new UncheckedIOException(e);
        }
        fixture.add(greeting("1.0.0"));
        fixture.add(clikit());
        fixture.add(WheelBuilder.of(LEGACY, "0.3.0").tag("py2.py3-none-any")
                .file("legacy_shim/__init__.py", "raise ImportError('legacy_shim is for Python < 3.9 only')\n"));
        fixture.writeLock();
        return fixture;
    }

    /** The project directory: pyproject.toml, uv.lock and the {@code uvapp} package. */
    public Path project() {
        return project;
    }

    public WheelServer server() {
        return server;
    }

    /** The wheel the lock currently names for {@code name}. */
    public BuiltWheel wheel(String name) {
        return wheels.get(name);
    }

    /** Builds greeting at {@code version} (its only change: the version string) and relocks to it. */
    public BuiltWheel bumpGreeting(String version) {
        BuiltWheel wheel = add(greeting(version));
        writeLock();
        return wheel;
    }

    /** Relocks with {@code sha256} as {@code name}'s wheel hash, while the server keeps serving the real file. */
    public void lockWrongHash(String name, String sha256) {
        lockedHashes.put(name, sha256);
        writeLock();
    }

    /** The lock's text as written now. */
    public String lock() {
        try {
            return Files.readString(project.resolve("uv.lock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BuiltWheel add(WheelBuilder builder) {
        BuiltWheel wheel = builder.writeTo(wheelDir);
        wheels.put(wheel.name(), wheel);
        lockedHashes.put(wheel.name(), wheel.sha256());
        return wheel;
    }

    static WheelBuilder greeting(String version) {
        return WheelBuilder.of(GREETING, version)
                .file("greeting/__init__.py", """
                        \"\"\"Greets.\"\"\"

                        __version__ = "%s"


                        def greet(name):
                            return "hello, " + name
                        """.formatted(version));
    }

    static WheelBuilder clikit() {
        return WheelBuilder.of(CLIKIT, "2.0.0")
                .file("clikit/__init__.py", "__version__ = \"2.0.0\"\n")
                .file("clikit/cli.py", """
                        import clikit


                        def main():
                            print("clikit " + clikit.__version__)
                            return 0
                        """)
                .file("clikit/_table.py", filler("clikit", 750))
                .consoleScript(CLIKIT_SCRIPT, "clikit.cli:main");
    }

    /** {@code lines} comment lines of hex that do not compress, so a resent package cannot hide in the byte count. */
    private static String filler(String seed, int lines) {
        StringBuilder text = new StringBuilder("# generated table\n");
        byte[] state = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < lines; i++) {
            state = WheelBuilder.digest(state);
            text.append("# ").append(HexFormat.of().formatHex(state)).append('\n');
        }
        return text.toString();
    }

    private void writeLock() {
        StringBuilder lock = new StringBuilder("""
                version = 1
                revision = 3
                requires-python = ">=3.8"

                """);
        for (BuiltWheel wheel : wheels.values()) {
            lock.append("""
                    [[package]]
                    name = "%s"
                    version = "%s"
                    source = { registry = "%s" }
                    wheels = [
                        { url = "%s", hash = "sha256:%s", size = %d, upload-time = "2025-01-01T00:00:00Z" },
                    ]

                    """.formatted(wheel.name(), wheel.version(), server.indexUrl(), server.url(wheel.filename()),
                    lockedHashes.get(wheel.name()), wheel.size()));
        }
        lock.append("""
                [[package]]
                name = "uvapp"
                version = "0.1.0"
                source = { editable = "." }
                dependencies = [
                    { name = "clikit" },
                    { name = "greeting" },
                    { name = "legacy-shim", marker = "%s" },
                ]

                [package.metadata]
                requires-dist = [
                    { name = "clikit", specifier = ">=2" },
                    { name = "greeting", specifier = ">=1" },
                    { name = "legacy-shim", marker = "%s" },
                ]
                """.formatted(LEGACY_MARKER, LEGACY_MARKER));
        try {
            Files.writeString(project.resolve("uv.lock"), lock.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyApp(Path target) throws IOException {
        Path source;
        try {
            source = Path.of(UvAppFixture.class.getResource("/fixtures/uvapp").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            Path copy = target.resolve(source.relativize(file).toString());
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
