package dev.deploy.venv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.deploy.DeployException;
import dev.deploy.python.FileHash;
import dev.deploy.python.LockedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {

    private static final byte[] WHEEL = "pretend wheel bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (exchange.getRequestURI().getPath().endsWith("/missing.whl")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, WHEEL.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(WHEEL);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + name;
    }

    private static LockedFile locked(String location, byte[] content) {
        return new LockedFile(location, Optional.of(FileHash.parse("sha256:" + DigestUtils.sha256Hex(content))),
                OptionalLong.of(content.length));
    }

    @Test
    void downloadsOnceOverHttpAndServesTheVerifiedCopyFromTheCacheAfterwards() throws IOException {
        FileCache cache = new FileCache(tmp.resolve("cache"));
        LockedFile file = locked(url("demo-1.0-py3-none-any.whl"), WHEEL);

        Path first = cache.fetch("package 'demo'", file, tmp);
        Path second = cache.fetch("package 'demo'", file, tmp);

        assertThat(first).isEqualTo(second).hasFileName("demo-1.0-py3-none-any.whl");
        assertThat(Files.readAllBytes(first)).isEqualTo(WHEEL);
        assertThat(requests).hasValue(1);
    }

    @Test
    void refusesAFileWhoseHashDiffersFromTheLockAndCachesNothing() throws IOException {
        FileCache cache = new FileCache(tmp.resolve("cache"));
        byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);
        LockedFile file = locked(url("demo-1.0-py3-none-any.whl"), other);

        assertThatThrownBy(() -> cache.fetch("uv.lock:7: package 'demo'", file, tmp))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("uv.lock:7: package 'demo'")
                .hasMessageContaining(url("demo-1.0-py3-none-any.whl"))
                .hasMessageContaining("sha256 mismatch")
                .hasMessageContaining(DigestUtils.sha256Hex(other))
                .hasMessageContaining(DigestUtils.sha256Hex(WHEEL))
                .satisfies(e -> assertThat(((DeployException) e).kind()).isEqualTo(DeployException.Kind.INPUT));
        try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void readsFileUrlsAndPathsRelativeToTheLock() throws IOException {
        Path wheels = Files.createDirectories(tmp.resolve("project/wheels"));
        Files.write(wheels.resolve("demo-1.0-py3-none-any.whl"), WHEEL);
        FileCache cache = new FileCache(tmp.resolve("cache"));

        Path viaUrl = cache.fetch("demo", locked(wheels.resolve("demo-1.0-py3-none-any.whl").toUri().toString(),
                WHEEL), tmp);
        Path viaPath = new FileCache(tmp.resolve("cache2")).fetch("demo",
                locked("wheels/demo-1.0-py3-none-any.whl", WHEEL), tmp.resolve("project"));

        assertThat(Files.readAllBytes(viaUrl)).isEqualTo(WHEEL);
        assertThat(Files.readAllBytes(viaPath)).isEqualTo(WHEEL);
        assertThat(requests).hasValue(0);
    }

    @Test
    void namesTheUrlAndStatusWhenTheServerHasNoSuchFile() {
        FileCache cache = new FileCache(tmp.resolve("cache"));
        assertThatThrownBy(() -> cache.fetch("package 'demo'", locked(url("missing.whl"), WHEEL), tmp))
                .isInstanceOf(DeployException.class)
                .hasMessage("package 'demo': cannot fetch " + url("missing.whl") + ": HTTP 404");
    }

    @Test
    void refusesALockedFileWithoutAHash() {
        FileCache cache = new FileCache(tmp.resolve("cache"));
        LockedFile file = new LockedFile(url("demo-1.0-py3-none-any.whl"), Optional.empty(), OptionalLong.empty());
        assertThatThrownBy(() -> cache.fetch("package 'demo'", file, tmp))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("records no hash");
    }
}
