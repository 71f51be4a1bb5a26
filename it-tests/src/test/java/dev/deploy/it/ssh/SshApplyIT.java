package dev.deploy.it.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostDeployer;
import dev.deploy.host.TransportStats;
import dev.deploy.inventory.Host;
import dev.deploy.it.local.CliRun;
import dev.deploy.transfer.TransferProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI over real SSH: a real OpenSSH sshd on 127.0.0.1 (this machine, without systemd, so services are only
 * linked). Proves host-key policy, the tar push with file-level deltas, verification and the generation switch
 * across an SSH channel.
 */
class SshApplyIT {

    @TempDir
    Path dir;

    private OpenSshServer server;
    private Path inventory;
    private Path state;

    @BeforeEach
    void start() throws Exception {
        Path key = SshKeygen.generate(dir.resolve("id_ed25519"), "");
        server = OpenSshServer.start(dir.resolve("sshd"), List.of(key));
        state = dir.resolve("remote-state");
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server 8080 --directory ${content}
                """);
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "one\n");
        Files.write(dir.resolve("www/big.bin"), new byte[200_000]);
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
                    modules: [site]
                    options: {site.content: "path:www"}
                """.formatted(server.port(), System.getProperty("user.name"), state));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private JsonNode applyJson(String... extra) throws Exception {
        String[] args = new String[extra.length + 4];
        args[0] = "apply";
        args[1] = "--json";
        System.arraycopy(extra, 0, args, 2, extra.length);
        args[extra.length + 2] = "--no-color";
        args[extra.length + 3] = inventory.toString();
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return new ObjectMapper().readTree(run.stdout()).get("hosts").get(0);
    }

    @Test
    void unknownHostKeyIsRefusedUntilAcceptedThenApplyReApplyAndChangeMoveOnlyWhatDiffers() throws Exception {
        CliRun refused = CliRun.of("apply", "--no-color", inventory.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("web1: connect: host key for [127.0.0.1]:" + server.port(),
                "--accept-new-host-keys");
        assertThat(Files.exists(state)).isFalse();

        JsonNode first = applyJson("--accept-new-host-keys");
        assertThat(first.get("result").asText()).isEqualTo("ok");
        assertThat(first.get("generation").asInt()).isEqualTo(1);
        // The site (200,004 bytes) plus the generated unit: exactly what the plan said was missing.
        assertThat(first.get("bytesSent").asLong()).isEqualTo(first.get("plan").get("bytesToAdd").asLong())
                .isGreaterThan(200_004);
        assertThat(Files.readString(state.resolve("current/roots/source/site.content/index.html"))).isEqualTo("one\n");

        JsonNode again = applyJson();
        assertThat(again.get("changed").asBoolean()).isFalse();
        assertThat(again.get("bytesSent").asLong()).isZero();
        assertThat(again.get("generation").asInt()).isEqualTo(1);

        Files.writeString(dir.resolve("www/index.html"), "two\n");
        JsonNode changed = applyJson();
        assertThat(changed.get("generation").asInt()).isEqualTo(2);
        assertThat(changed.get("storePathsSent").asInt()).isEqualTo(1);
        // Only the changed file crosses; the host copies big.bin from the previous source store path.
        assertThat(changed.get("bytesSent").asLong()).isEqualTo(4);
        assertThat(changed.get("filesSent").asInt()).isEqualTo(1);
        assertThat(changed.get("filesReused").asInt()).isEqualTo(1);
        assertThat(changed.get("bytesReused").asLong()).isEqualTo(200_000);
        assertThat(Files.readString(state.resolve("current/roots/source/site.content/index.html"))).isEqualTo("two\n");

        CliRun rollback = CliRun.of("rollback", "--no-color", inventory.toString());
        assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
        assertThat(Files.readString(state.resolve("current/roots/source/site.content/index.html"))).isEqualTo("one\n");
    }

    /** An apply through the engine, to read the connection's counters afterwards. */
    private record EngineApply(ApplyOutcome outcome, TransportStats stats) {
    }

    private EngineApply applyThroughEngine() {
        try (Deployment deployment = Deployment.open(inventory, List.of(), List.of(),
                Deployment.defaultConnector(true), dir.resolve("cache"))) {
            Host host = deployment.hosts().get(0);
            HostDeployer deployer = deployment.on(host);
            ApplyOutcome outcome = deployer.apply(deployment.desired(host), TransferProgress.NONE);
            return new EngineApply(outcome, deployer.connection().stats());
        }
    }

    @Test
    void aFourByteChangeSendsFourContentBytesAndAFewKilobytesOnTheWireAndANoOpSendsNothing() throws Exception {
        EngineApply first = applyThroughEngine();
        assertThat(first.outcome().transfer().contentBytes()).isGreaterThan(200_004);
        assertThat(first.stats().bytesSent()).isGreaterThan(200_004);

        Files.writeString(dir.resolve("www/index.html"), "two\n");
        EngineApply changed = applyThroughEngine();
        assertThat(changed.outcome().liveGeneration()).isEqualTo(2);
        assertThat(changed.outcome().transfer().contentBytes()).isEqualTo(4);
        assertThat(changed.outcome().transfer().filesReused()).isEqualTo(1);
        // lock and facts (one command), the base's meta list, the push, the switch
        assertThat(changed.stats().roundTrips()).isEqualTo(4);
        // Tar headers and the gzip-compressed lists; the whole tree would be more than 200 kB.
        assertThat(changed.stats().bytesSent()).isLessThan(12 * 1024);
        Path copied = state.resolve("current/roots/source/site.content/big.bin");
        assertThat(Files.getAttribute(copied, "unix:nlink")).as("a copy: store paths share no inode").isEqualTo(1);

        EngineApply noop = applyThroughEngine();
        assertThat(noop.outcome().changed()).isFalse();
        // the lock, which also prints the facts
        assertThat(noop.stats().roundTrips()).isEqualTo(1);
        assertThat(noop.stats().bytesSent()).isZero();
    }
}
