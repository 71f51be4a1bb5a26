package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --json} and {@code plan --json} report, per host, what crossed its SSH connection (round trips,
 * bytes sent and received): the figures the benchmark harness reads.
 */
class TransportStatsJsonIT {

    @TempDir
    Path dir;

    private OpenSshServer server;
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        Path key = SshKeygen.generate(dir.resolve("id_ed25519"), "");
        server = OpenSshServer.start(dir.resolve("sshd"), List.of(key));
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/payload.yaml"), """
                module: payload
                options:
                  content: {type: source}
                """);
        Files.createDirectories(dir.resolve("www"));
        Files.write(dir.resolve("www/big.bin"), new byte[300_000]);
        Files.writeString(dir.resolve("known_hosts"), "");
        inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  web1:
                    address: 127.0.0.1
                    port: %d
                    user: %s
                    identity: id_ed25519
                    knownHosts: known_hosts
                    stateDir: %s
                    modules: [payload]
                    options: {payload.content: "path:www"}
                """.formatted(server.port(), System.getProperty("user.name"), dir.resolve("remote-state")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private JsonNode host(String command, String... extra) throws Exception {
        String[] args = new String[extra.length + 4];
        args[0] = command;
        args[1] = "--json";
        System.arraycopy(extra, 0, args, 2, extra.length);
        args[extra.length + 2] = "--no-color";
        args[extra.length + 3] = inventory.toString();
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return new ObjectMapper().readTree(run.stdout()).get("hosts").get(0);
    }

    @Test
    void applyAndPlanJsonCountRoundTripsAndBytesOfTheHostsConnection() throws Exception {
        JsonNode cold = host("apply", "--accept-new-host-keys").get("transport");
        assertThat(cold.get("bytesSent").asLong()).isGreaterThan(300_000);
        assertThat(cold.get("roundTrips").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(cold.get("bytesReceived").asLong()).isPositive();

        JsonNode noop = host("apply").get("transport");
        // the lock, which also prints the facts: nothing is pushed when nothing changed
        assertThat(noop.get("roundTrips").asLong()).isEqualTo(1);
        assertThat(noop.get("bytesSent").asLong()).isLessThan(1024);

        JsonNode plan = host("plan").get("transport");
        assertThat(plan.get("roundTrips").asLong()).isEqualTo(1);
        assertThat(plan.get("bytesReceived").asLong()).isPositive();
    }
}
