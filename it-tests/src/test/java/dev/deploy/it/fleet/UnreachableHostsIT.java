package dev.deploy.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.it.local.CliRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts that cannot be reached, on 127.0.0.1 only: a listening port whose accept queue is full (the kernel then
 * drops new connection attempts, so a connect hangs until its timeout, as for a host that is down), and a port
 * that counts how many connections are open at once. Connecting goes through the fleet executor, bounded by
 * --parallel like every other step.
 */
class UnreachableHostsIT {

    private static final int CONNECT_TIMEOUT_SECONDS = 3;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    /** A port on 127.0.0.1 where every new connect attempt hangs: the listener's accept queue is full. */
    private int blackholePort() throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(listener);
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            open.add(filler);
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 500);
            } catch (SocketTimeoutException e) {
                return listener.getLocalPort();
            }
        }
        throw new IllegalStateException("the accept queue of a listener with backlog 1 never filled");
    }

    private Path inventory(int... ports) throws IOException {
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "hello\n");
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                files:
                  marker: {name: marker.txt, text: "${content}"}
                """);
        Files.writeString(dir.resolve("known_hosts"), "");
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < ports.length; i++) {
            hosts.append("  down").append(i + 1).append(": {address: 127.0.0.1, port: ").append(ports[i])
                    .append("}\n");
        }
        return Files.writeString(dir.resolve("inventory.yaml"), """
                defaults:
                  knownHosts: known_hosts
                  modules: [site]
                  options: {site.content: "path:site"}
                hosts:
                """ + hosts);
    }

    private static List<JsonNode> ndjson(String stdout) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                lines.add(new ObjectMapper().readTree(line));
            }
        }
        return lines;
    }

    @Test
    void threeUnreachableHostsFinishInAboutOneConnectTimeoutNotThree() throws Exception {
        int port = blackholePort();
        Path inventory = inventory(port, port, port);

        CliRun run = CliRun.against(inventory, "apply", "--events", "ndjson", "--parallel", "3",
                "--connect-timeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        List<JsonNode> lines = ndjson(run.stdout());
        JsonNode result = lines.get(lines.size() - 1);
        assertThat(result.get("type").asText()).isEqualTo("result");
        assertThat(result.get("hosts")).hasSize(3).allSatisfy(host -> {
            assertThat(host.get("outcome").asText()).isEqualTo("unreachable");
            assertThat(host.get("step").asText()).isEqualTo("connect");
            // Each host's time counts from its start, so a host that waited for another's connect would show it:
            // one after another, the last would take three timeouts. Generous: under two.
            assertThat(host.get("durationSeconds").asDouble()).as(host.toString())
                    .isGreaterThanOrEqualTo(CONNECT_TIMEOUT_SECONDS - 0.5)
                    .isLessThan(2.0 * CONNECT_TIMEOUT_SECONDS);
        });
        assertThat(run.stderr()).contains("deploy: error: down1: connect: ", "deploy: error: down3: connect: ");
    }

    @Test
    void threeHostsOpenTheirConnectionsAtTheSameTime() throws Exception {
        // A port that holds every connection until three are open at once, then hangs up on all of them; one at a
        // time would each wait out the gate's patience and never reach three.
        try (ConnectionGate gate = new ConnectionGate(3)) {
            open.add(gate);
            Path inventory = inventory(gate.port(), gate.port(), gate.port());

            CliRun run = CliRun.against(inventory, "apply", "--json", "--parallel", "3");

            assertThat(gate.maxOpen()).as(run.stdout() + run.stderr()).isEqualTo(3);
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(new ObjectMapper().readTree(run.stdout()).get("hosts"))
                    .allSatisfy(host -> assertThat(host.get("outcome").asText()).isEqualTo("unreachable"));
        }
    }

    @Test
    void aPlanWhereEveryHostFailedSaysSoAndNeverThatHostsAreUpToDate() throws Exception {
        int port = blackholePort();
        Path inventory = inventory(port, port);

        CliRun run = CliRun.against(inventory, "plan", "--connect-timeout", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).doesNotContain("no changes", "up to date")
                .contains("Plan: incomplete. 2 of 2 hosts could not be planned");
        assertThat(run.stderr()).contains("deploy: error: down1: connect: ", "deploy: error: down2: connect: ");
    }

    @Test
    void aSummaryTableIsPrintedWhenNoHostCouldBeReached() throws Exception {
        int port = blackholePort();
        Path inventory = inventory(port, port);

        CliRun run = CliRun.against(inventory, "apply", "--connect-timeout", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("(?m)^down1 +- +- .*UNREACHABLE$")
                .containsPattern("(?m)^down2 +- +- .*UNREACHABLE$")
                .contains("Apply: 2 unreachable.");
    }

    /**
     * Accepts TCP connections and keeps them open until {@code wanted} are open at the same time (or a minute has
     * passed), then closes them all; records the most that were open at once.
     */
    private static final class ConnectionGate implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> held = new ArrayList<>();
        private final AtomicInteger maxOpen = new AtomicInteger();
        private final Thread acceptor;

        ConnectionGate(int wanted) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                try {
                    listener.setSoTimeout(200);
                    while (!listener.isClosed()) {
                        try {
                            Socket socket = listener.accept();
                            synchronized (held) {
                                held.add(socket);
                                maxOpen.accumulateAndGet(held.size(), Math::max);
                            }
                        } catch (SocketTimeoutException e) {
                            // look at the clock
                        }
                        synchronized (held) {
                            if (held.size() >= wanted || System.nanoTime() > deadline) {
                                for (Socket socket : held) {
                                    socket.close();
                                }
                                held.clear();
                            }
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "connection-gate");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        int maxOpen() {
            return maxOpen.get();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
