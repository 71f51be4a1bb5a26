package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a local target nothing is started, so an HTTP health check is requested once, directly, and reported: what
 * answers is shown, what does not answer is shown but does not fail the apply.
 */
class LocalHealthCheckTest {

    @TempDir
    Path dir;

    private Path inventory(int port) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  port: {type: int}
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server ${port}
                    healthCheck: {http: "http://127.0.0.1:${port}/ready", timeout: 5s}
                """);
        return Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  laptop:
                    local: {root: state}
                    modules: [site]
                    options: {site.port: %d}
                """.formatted(port));
    }

    @Test
    void aUrlThatAnswersIsReportedWithItsStatus() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/ready", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        http.start();
        try {
            int port = http.getAddress().getPort();
            CliRun run = CliRun.against(inventory(port), "apply");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr()).contains("laptop: health: service site (not started by deploy): http://127.0.0.1:"
                    + port + "/ready answered 204");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aUrlNothingAnswersIsReportedWithoutFailingTheApply() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CliRun run = CliRun.against(inventory(port), "apply");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("laptop: health: service site (not started by deploy on this host): "
                + "http://127.0.0.1:" + port + "/ready: connection refused");
        assertThat(run.stdout()).containsPattern("(?m)^laptop +1 +yes .* ok$");
    }
}
