package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import dev.deploy.it.local.CliRun;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HostConnection.forward} over a real OpenSSH server on 127.0.0.1, and the HTTP health check that uses it,
 * against an HTTP server in this JVM standing in for a service on the host.
 */
@Timeout(60)
class SshForwardIT {

    @TempDir
    static Path shared;
    private static Path clientKey;
    private static OpenSshServer server;
    private static HttpServer http;
    private static final List<String> HOST_HEADERS = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        clientKey = SshKeygen.generate(shared.resolve("id_ed25519"), "");
        server = OpenSshServer.start(shared.resolve("sshd"), List.of(clientKey));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            HOST_HEADERS.add(exchange.getRequestHeaders().getFirst("Host"));
            byte[] body = "hello through ssh\n".getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200;
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    @AfterAll
    static void stop() throws Exception {
        http.stop(0);
        server.close();
    }

    private SshConnection connect() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
        return SshConnection.open(SshSettings.of("web1", OpenSshServer.ADDRESS, server.port(),
                        System.getProperty("user.name"))
                .withIdentityFile(clientKey)
                .withKnownHostsFile(knownHosts)
                .withConnectTimeout(Duration.ofSeconds(10))
                .withPassphrases(PassphraseSource.none()));
    }

    private static String get(InetSocketAddress address, String hostHeader) throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void aForwardLeadsToThePortAsTheHostSeesItAndCountsAChannelAndItsBytes() throws Exception {
        try (SshConnection ssh = connect();
             HostConnection.Forward forward = ssh.forward("127.0.0.1", http.getAddress().getPort())) {
            assertThat(forward.localAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(forward.localAddress().getPort()).isNotEqualTo(http.getAddress().getPort());

            String first = get(forward.localAddress(), "a.example");
            String second = get(forward.localAddress(), "b.example");

            assertThat(first).startsWith("HTTP/1.1 200").endsWith("hello through ssh\n");
            assertThat(second).startsWith("HTTP/1.1 200");
            assertThat(forward.lastFailure()).isEmpty();
            assertThat(ssh.stats().roundTrips()).as("one direct-tcpip channel per connection").isEqualTo(2);
            assertThat(ssh.stats().bytesReceived()).isEqualTo(first.length() + second.length());
            assertThat(ssh.stats().bytesSent()).isPositive();
        }
    }

    @Test
    void aPortNothingListensOnIsReportedAsTheForwardsLastFailure() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        try (SshConnection ssh = connect(); HostConnection.Forward forward = ssh.forward("127.0.0.1", closed)) {
            try (Socket socket = new Socket(forward.localAddress().getAddress(), forward.localAddress().getPort())) {
                assertThat(socket.getInputStream().read()).as("the forward closes the connection").isEqualTo(-1);
            }
            assertThat(forward.lastFailure()).hasValueSatisfying(failure -> assertThat(failure)
                    .startsWith("127.0.0.1:" + closed + " on web1: ")
                    .containsIgnoringCase("connection refused"));
            assertThat(ssh.run("echo still usable").stdoutText()).isEqualTo("still usable\n");
        }
    }

    @Test
    void applyRequestsTheHealthUrlThroughTheSshConnectionWithTheUrlsHostHeader() throws Exception {
        int port = http.getAddress().getPort();
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server --directory ${content}
                    healthCheck: {http: "http://127.0.0.1:%d/", timeout: 5s}
                """.formatted(port));
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "one\n");
        Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
        Files.copy(clientKey, dir.resolve("id_ed25519"));
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  web1:
                    address: 127.0.0.1
                    port: %d
                    user: %s
                    identity: id_ed25519
                    knownHosts: known_hosts
                    stateDir: %s
                    modules: [site]
                    options: {site.content: "path:www"}
                """.formatted(server.port(), System.getProperty("user.name"), dir.resolve("state")));
        HOST_HEADERS.clear();

        CliRun run = CliRun.against(inventory, "apply");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("web1: health: service site (not started by deploy): http://127.0.0.1:"
                + port + "/ answered 200");
        assertThat(HOST_HEADERS).containsExactly("127.0.0.1:" + port);
    }
}
