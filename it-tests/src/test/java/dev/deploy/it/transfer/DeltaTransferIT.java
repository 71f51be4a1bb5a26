package dev.deploy.it.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.Deployment;
import dev.deploy.fleet.HostDeployer;
import dev.deploy.host.TransportStats;
import dev.deploy.inventory.Host;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import dev.deploy.transfer.TransferProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File-level deltas and cut transfers on a Debian bookworm test host (systemd + OpenSSH) over SSH: a one-file change
 * in an app-sized tree sends that file plus little else, and a connection cut in the middle of a push leaves no
 * store path under a final name, the current generation untouched, and nothing the next apply does not clean up.
 */
class DeltaTransferIT {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaTransferIT.class);
    private static final String STORE = "/var/lib/deploy/store";

    @TempDir
    Path dir;

    private DebianTestHost host;
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        host = DebianTestHost.start(TestHostImage.BOOKWORM);
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory ${content}
                """);
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "version one\n");
        inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n"
                + host.inventoryEntry("deb1", "modules: [site]", "options: {site.content: \"path:www\"}"));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** An apply through the engine with {@code progress}, and the connection's counters afterwards. */
    private record EngineApply(ApplyOutcome outcome, TransportStats stats) {
    }

    private EngineApply apply(TransferProgress progress) {
        try (Deployment deployment = Deployment.open(inventory, List.of(), List.of(),
                Deployment.defaultConnector(false), dir.resolve("cache"))) {
            Host deb1 = deployment.hosts().get(0);
            HostDeployer deployer = deployment.on(deb1);
            ApplyOutcome outcome = deployer.apply(deployment.desired(deb1), progress);
            return new EngineApply(outcome, deployer.connection().stats());
        }
    }

    private String sh(String script) {
        ExecResult result = host.exec("sh", "-c", script);
        assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
        return result.stdout().strip();
    }

    /** Writes {@code size} seeded random bytes, so that every run builds the same tree. */
    private static void randomFile(Path file, Random random, int size) throws IOException {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Test
    void oneFileChangeInA500FileTreeSendsThatFileAndLessThan64KiBMore() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 490; i++) {
            randomFile(dir.resolve("www/src/pkg" + (i % 30) + "/module" + i + ".py"), random, 2_000 + random.nextInt(16_000));
        }
        for (int i = 0; i < 10; i++) {
            randomFile(dir.resolve("www/static/asset" + i + ".bin"), random, 850_000);
        }
        EngineApply cold = apply(TransferProgress.NONE);
        assertThat(cold.outcome().succeeded()).isTrue();
        long treeBytes = cold.outcome().transfer().contentBytes();
        assertThat(treeBytes).isGreaterThan(12_000_000);

        Path changed = dir.resolve("www/src/pkg7/module37.py");
        byte[] content = Files.readAllBytes(changed);
        content[100] ^= 1;
        Files.write(changed, content);
        EngineApply delta = apply(TransferProgress.NONE);

        assertThat(delta.outcome().liveGeneration()).isEqualTo(2);
        assertThat(delta.outcome().transfer().files()).isEqualTo(1);
        assertThat(delta.outcome().transfer().contentBytes()).isEqualTo(content.length);
        assertThat(delta.outcome().transfer().filesReused()).isEqualTo(500);
        assertThat(delta.stats().bytesSent()).isLessThanOrEqualTo(content.length + 64 * 1024);
        // lock and facts (one command), the base's meta list, the push, the switch, the service check: as many for
        // 500 files as for 1
        assertThat(delta.stats().roundTrips()).isEqualTo(5);
        LOG.info("cold apply: {} content bytes, {} on the wire; one-file change ({} bytes): {} on the wire,"
                        + " {} received, {} round trips", treeBytes, cold.stats().bytesSent(), content.length,
                delta.stats().bytesSent(), delta.stats().bytesReceived(), delta.stats().roundTrips());
        assertThat(sh("cmp -s /var/lib/deploy/current/roots/source/site.content/src/pkg7/module37.py"
                + " /var/lib/deploy/generations/1/roots/source/site.content/src/pkg7/module37.py || echo differs"))
                .isEqualTo("differs");
        // copied on the host from generation 1's path, never sharing its inode (an edit in one cannot reach the other)
        assertThat(sh("stat -c %h /var/lib/deploy/current/roots/source/site.content/static/asset3.bin")).isEqualTo("1");

        EngineApply noop = apply(TransferProgress.NONE);
        assertThat(noop.outcome().changed()).isFalse();
        assertThat(noop.stats().bytesSent()).isZero();
        assertThat(noop.stats().roundTrips()).as("the lock, which also prints the facts").isEqualTo(1);
    }

    @Test
    void cutConnectionMidTransferLeavesNoPartialStorePath() throws Exception {
        CliRun first = CliRun.against(inventory, "apply");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        String storeBefore = sh("ls -1 " + STORE);

        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            randomFile(dir.resolve("www/big/part" + i + ".bin"), random, 1_000_000);
        }
        AtomicBoolean cut = new AtomicBoolean();
        long[] sentAtCut = {0};
        assertThatThrownBy(() -> apply((name, bytes, total, files, totalFiles) -> {
            if (bytes >= 5_000_000 && cut.compareAndSet(false, true)) {
                sentAtCut[0] = bytes;
                host.bridge().dropAllConnections();
            }
        })).isInstanceOf(DeployException.class).hasMessageStartingWith("deb1: transfer: ");
        assertThat(cut).isTrue();
        assertThat(sentAtCut[0]).isLessThan(40_000_000);

        // The host notices the cut on its own time; nothing may appear under a final name meanwhile or after.
        for (int i = 0; i < 50 && !sh("pgrep -x tar || true").isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(sh("ls -1 " + STORE)).isEqualTo(storeBefore);
        assertThat(sh("ls -1a " + STORE + " | grep -v -x -e . -e .. -e .meta | grep -v '^.incoming-' | tr '\\n' ' '"))
                .isEqualTo(storeBefore.replace('\n', ' '));
        assertThat(sh("readlink /var/lib/deploy/current")).isEqualTo("generations/1");

        // A leftover as a cut delta push would leave it: a read-only directory holding a hard link into a sealed
        // store path. Cleaning it up must not make the sealed file writable.
        String sealed = sh("ls -d " + STORE + "/*-site.content") + "/index.html";
        sh("mkdir -p " + STORE + "/.incoming-cut/x/dir && ln " + sealed + " " + STORE + "/.incoming-cut/x/dir/index.html"
                + " && chmod a-w " + STORE + "/.incoming-cut/x/dir");

        CliRun next = CliRun.against(inventory, "apply");
        assertThat(next.exitCode()).as(next.stdout() + next.stderr()).isZero();
        assertThat(sh("readlink /var/lib/deploy/current")).isEqualTo("generations/2");
        assertThat(sh("ls -1a " + STORE + " | grep -c '^.incoming-' || true")).isEqualTo("0");
        assertThat(sh("stat -c %a " + sealed)).isEqualTo("444");
        assertThat(sh("cat /var/lib/deploy/current/roots/source/site.content/index.html")).isEqualTo("version one");
        assertThat(sh("ls /var/lib/deploy/current/roots/source/site.content/big | wc -l")).isEqualTo("40");
    }
}
