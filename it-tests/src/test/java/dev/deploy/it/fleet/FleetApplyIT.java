package dev.deploy.it.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of three Debian bookworm systemd hosts (one without rsync) reached over SSH, driven through the CLI. The
 * containers are shared by the tests; each test uses its own module, service, port and state directory, so the
 * tests do not see each other's generations or units.
 */
class FleetApplyIT {

    private static final List<String> NAMES = List.of("deb1", "deb2", "deb3");
    private static final List<DebianTestHost> HOSTS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startHosts() {
        List<CompletableFuture<DebianTestHost>> starting = List.of(
                CompletableFuture.supplyAsync(() -> DebianTestHost.start(TestHostImage.BOOKWORM)),
                CompletableFuture.supplyAsync(() -> DebianTestHost.start(TestHostImage.BOOKWORM)),
                CompletableFuture.supplyAsync(() -> DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC)));
        for (CompletableFuture<DebianTestHost> host : starting) {
            HOSTS.add(host.join());
        }
    }

    @AfterAll
    static void stopHosts() {
        HOSTS.forEach(DebianTestHost::close);
        HOSTS.clear();
    }

    /** A module {@code name} serving {@code content} on {@code serve}, health-checked at {@code port} over HTTP. */
    private void module(String name, String command, int timeoutSeconds) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/" + name + ".yaml"), """
                module: %1$s
                options:
                  content: {type: source}
                  port: {type: int}
                  serve: {type: int}
                services:
                  %1$s:
                    exec: /usr/bin/python3 -m http.server ${serve} --bind 127.0.0.1 --directory ${content}
                    healthCheck:
                      http: "http://127.0.0.1:${port}/"
                %2$s      timeout: %3$ds
                """.formatted(name, command == null ? "" : "      command: \"" + command + "\"\n", timeoutSeconds));
    }

    /** Per-host content {@code www/HOST/index.html} saying {@code text from HOST}. */
    private void content(String text) throws Exception {
        for (String host : NAMES) {
            Files.createDirectories(dir.resolve("www/" + host));
            Files.writeString(dir.resolve("www/" + host + "/index.html"), text + " from " + host + "\n");
        }
    }

    /**
     * An inventory of the first {@code count} hosts: shared settings in {@code defaults}, a {@code debian} group
     * with the module's options, each host's content as a per-host override.
     */
    private Path inventory(String module, int port, int serve, int count, Path knownHosts) throws Exception {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < count; i++) {
            hosts.append("""
                      %s:
                        address: 127.0.0.1
                        port: %d
                        groups: [debian]
                        tags: [%s]
                        options: {%s.content: "path:www/%s"}
                    """.formatted(NAMES.get(i), HOSTS.get(i).sshPort(),
                    HOSTS.get(i).image().hasRsync() ? "rsync" : "norsync", module, NAMES.get(i)));
        }
        return Files.writeString(dir.resolve("inventory.yaml"), """
                defaults:
                  user: root
                  identity: %s
                  knownHosts: %s
                  stateDir: /var/lib/deploy-%s
                  modules: [%s]
                groups:
                  debian:
                    options: {%s.port: %d, %s.serve: %d}
                hosts:
                %s""".formatted(HOSTS.get(0).privateKey(), knownHosts, module, module, module, port, module, serve,
                hosts));
    }

    private Path knownHosts(int count) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append(HOSTS.get(i).hostKeyLine()).append('\n');
        }
        return Files.writeString(dir.resolve("known_hosts"), lines.toString());
    }

    /**
     * What the host serves on its loopback at {@code port}, read inside the host at once: apply and rollback return
     * only after the services they restarted passed their health checks.
     */
    private static String served(DebianTestHost host, int port) {
        ExecResult result = host.exec("python3", "-c", "import urllib.request; print(urllib.request.urlopen("
                + "'http://127.0.0.1:" + port + "/').read().decode(), end='')");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    private static String current(DebianTestHost host, String module) {
        return host.exec("readlink", "/var/lib/deploy-" + module + "/current").stdout().strip();
    }

    private static JsonNode json(CliRun run) throws Exception {
        return new ObjectMapper().readTree(run.stdout()).get("hosts");
    }

    @Test
    void applyToThreeHostsInParallelStartsEachServiceAndChecksItsHttpUrlThroughTheSshConnection() throws Exception {
        module("fleet-a", null, 20);
        content("version one");
        Path inventory = inventory("fleet-a", 18081, 18081, 3, knownHosts(3));

        CliRun run = CliRun.against(inventory, "apply", "--parallel", "3");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        for (int i = 0; i < 3; i++) {
            String name = NAMES.get(i);
            assertThat(served(HOSTS.get(i), 18081)).isEqualTo("version one from " + name + "\n");
            assertThat(run.stdout()).containsPattern("(?m)^" + name + " +1 +yes .* ok$");
            assertThat(run.stderr()).containsPattern(name + ": health: service fleet-a.service is healthy after "
                    + "[0-9.]+s \\(active, http://127.0.0.1:18081/ answered 200\\)");
        }
        assertThat(run.stdout()).contains("HOST", "GENERATION", "SENT", "RESULT");
    }

    @Test
    void withParallelThreeTheThreeHostsAreInTheirHealthChecksAtTheSameTime() throws Exception {
        // Each host's health command says it started, then waits until the test lets it go: only a run that has all
        // three hosts past their switch at once ever lets any of them go. One after another, the first host waits
        // alone and the run fails on the wait below (no timing is measured).
        module("fleet-g", "touch /tmp/fleet-g-waiting && until test -e /tmp/fleet-g-go; do sleep 0.2; done", 120);
        content("version one");
        Path inventory = inventory("fleet-g", 18087, 18087, 3, knownHosts(3));

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() ->
                CliRun.against(inventory, "apply", "--parallel", "3"));
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        while (!HOSTS.stream().allMatch(h -> h.exec("test", "-e", "/tmp/fleet-g-waiting").exitCode() == 0)) {
            assertThat(run).as("every host waits in its health check before any finishes").isNotDone();
            assertThat(System.nanoTime()).as("all three hosts in their health checks at once").isLessThan(limit);
            Thread.sleep(250);
        }
        HOSTS.forEach(h -> h.exec("touch", "/tmp/fleet-g-go"));

        CliRun done = run.get(120, TimeUnit.SECONDS);
        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        for (DebianTestHost host : HOSTS) {
            assertThat(current(host, "fleet-g")).isEqualTo("generations/1");
        }
    }

    @Test
    void reApplyingAnUnchangedFleetSendsNoArtifactBytes() throws Exception {
        module("fleet-b", null, 20);
        content("same");
        Path inventory = inventory("fleet-b", 18082, 18082, 3, knownHosts(3));
        CliRun first = CliRun.against(inventory, "apply", "--json", "--parallel", "3");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        for (JsonNode host : json(first)) {
            assertThat(host.get("bytesSent").asLong()).as(host.toString()).isPositive();
            assertThat(host.get("healthChecks").get(0).asText()).as(host.toString())
                    .endsWith("(active, http://127.0.0.1:18082/ answered 200)");
        }

        CliRun again = CliRun.against(inventory, "apply", "--json", "--parallel", "3");

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        JsonNode hosts = json(again);
        assertThat(hosts).hasSize(3);
        for (JsonNode host : hosts) {
            assertThat(host.get("result").asText()).isEqualTo("ok");
            assertThat(host.get("changed").asBoolean()).as(host.toString()).isFalse();
            assertThat(host.get("bytesSent").asLong()).as(host.toString()).isZero();
            assertThat(host.get("filesSent").asLong()).as(host.toString()).isZero();
            assertThat(host.get("generation").asInt()).isEqualTo(1);
            assertThat(host.get("healthChecks")).as("nothing restarted, nothing checked").isEmpty();
        }
    }

    @Test
    void aServiceThatFailsItsHttpCheckIsRolledBackAndTheOldContentIsServedAgain() throws Exception {
        module("fleet-c", null, 6);
        content("good");
        Path known = knownHosts(1);
        Path inventory = inventory("fleet-c", 18083, 18083, 1, known);
        assertThat(CliRun.against(inventory, "apply").exitCode()).isZero();

        // The new generation serves on another port than the check requests: active, but never answers there.
        content("broken");
        inventory("fleet-c", 18083, 18093, 1, known);
        CliRun broken = CliRun.against(inventory, "apply");

        assertThat(broken.exitCode()).as(broken.stdout() + broken.stderr()).isEqualTo(1);
        assertThat(broken.stdout()).containsPattern("(?m)^deb1 +1 +yes .*ROLLED BACK$");
        assertThat(broken.stderr()).contains("deploy: error: deb1: health check: service fleet-c.service is not "
                        + "healthy after 6s (http://127.0.0.1:18083/: ",
                "Connection refused", "rolled back to generation 1");
        DebianTestHost host = HOSTS.get(0);
        assertThat(current(host, "fleet-c")).isEqualTo("generations/1");
        assertThat(served(host, 18083)).isEqualTo("good from deb1\n");
        assertThat(host.exec("systemctl", "is-active", "fleet-c.service").stdout().strip()).isEqualTo("active");
    }

    @Test
    void aSecondApplyWhileTheFirstHoldsTheLockFailsNamingTheHolderAndTheFirstFinishes() throws Exception {
        DebianTestHost host = HOSTS.get(0);
        String release = "/run/fleet-d-release";
        host.exec("rm", "-f", release);
        // The first apply holds the lock until its health check passes, which needs the release file.
        module("fleet-d", "test -e " + release, 90);
        content("locked");
        Path inventory = inventory("fleet-d", 18084, 18084, 1, knownHosts(1));
        Process first = new ProcessBuilder(javaCommand(inventory))
                .redirectOutput(dir.resolve("first.out").toFile())
                .redirectError(dir.resolve("first.err").toFile())
                .start();
        try {
            String owner = awaitLockOwner(host, "/var/lib/deploy-fleet-d/lock.owner", first);

            CliRun second = CliRun.against(inventory, "apply");

            assertThat(second.exitCode()).as(second.stderr()).isEqualTo(4);
            assertThat(owner).startsWith("deploy apply by ").contains(" pid " + first.pid() + " since ");
            assertThat(second.stderr()).contains("deploy: error: deb1: lock: another deploy holds "
                    + "/var/lib/deploy-fleet-d/lock (" + owner + "); try again when it ends");

            host.exec("touch", release);
            assertThat(first.waitFor(120, TimeUnit.SECONDS)).as("the first apply ends").isTrue();
            assertThat(first.exitValue()).as(Files.readString(dir.resolve("first.err"))).isZero();
        } finally {
            first.destroyForcibly();
        }
        assertThat(host.exec("ls", "/var/lib/deploy-fleet-d/generations").stdout().strip()).isEqualTo("1");
        assertThat(current(host, "fleet-d")).isEqualTo("generations/1");
        assertThat(host.exec("test", "-e", "/var/lib/deploy-fleet-d/lock.owner").exitCode()).isNotZero();
        assertThat(served(host, 18084)).isEqualTo("locked from deb1\n");
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintUntilAcceptedAndThenRecorded() throws Exception {
        module("fleet-e", null, 20);
        content("trusted");
        Path known = Files.writeString(dir.resolve("known_hosts"), "");
        Path inventory = inventory("fleet-e", 18085, 18085, 1, known);
        DebianTestHost host = HOSTS.get(0);

        CliRun refused = CliRun.against(inventory, "apply");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("deploy: error: deb1: connect: host key for [127.0.0.1]:"
                + host.sshPort() + " is not known; check its fingerprint " + fingerprint(host.hostKeyLine())
                + " and re-run with --accept-new-host-keys to record it");
        assertThat(Files.readString(known)).isEmpty();
        assertThat(host.exec("test", "-e", "/var/lib/deploy-fleet-e").exitCode()).as("nothing on the host").isNotZero();

        CliRun accepted = CliRun.against(inventory, "apply", "--accept-new-host-keys");

        assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
        assertThat(Files.readString(known)).contains(host.hostKeyLine().split(" ")[2]);
        assertThat(served(host, 18085)).isEqualTo("trusted from deb1\n");
        CliRun trusted = CliRun.against(inventory, "apply");
        assertThat(trusted.exitCode()).as("the recorded key is trusted: " + trusted.stderr()).isZero();
    }

    @Test
    void anSshTransferOfAFewMegabytesReportsFilesAndBytesPerHostOnStderr() throws Exception {
        module("fleet-f", null, 20);
        content("big");
        Random random = new Random(42);
        for (String name : NAMES) {
            for (int i = 0; i < 24; i++) {
                byte[] data = new byte[128 * 1024];
                random.nextBytes(data);
                Files.write(dir.resolve("www/" + name + "/blob-" + i + ".bin"), data);
            }
        }
        Path inventory = inventory("fleet-f", 18086, 18086, 3, knownHosts(3));

        CliRun run = CliRun.against(inventory, "apply", "--parallel", "3");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        for (String name : NAMES) {
            Matcher lines = Pattern.compile("(?m)^" + name + ": sent (\\d+)/(\\d+) files, ([0-9.]+ [KMG]?i?B) of "
                    + "([0-9.]+ MiB)$").matcher(run.stderr());
            List<String> seen = new ArrayList<>();
            String last = null;
            while (lines.find()) {
                seen.add(lines.group());
                last = lines.group(1) + "/" + lines.group(2) + " " + lines.group(3) + " of " + lines.group(4);
            }
            assertThat(seen).as(run.stderr()).isNotEmpty();
            // The last line counts every file of the host's new store paths (24 blobs, index.html, the unit): 3 MiB.
            assertThat(last).as(String.join("\n", seen)).matches("(\\d+)/\\1 3\\.\\d MiB of 3\\.\\d MiB");
        }
    }

    /** The SHA-256 fingerprint of a known_hosts line's key, as ssh-keygen -l prints it. */
    private static String fingerprint(String knownHostsLine) throws Exception {
        byte[] blob = Base64.getDecoder().decode(knownHostsLine.split(" ")[2]);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    }

    /** {@code deploy apply} in its own JVM, so that two applies really run side by side. */
    private static List<String> javaCommand(Path inventory) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"), "dev.deploy.cli.Main", "apply",
                "--no-color", inventory.toString());
    }

    private static String awaitLockOwner(DebianTestHost host, String ownerFile, Process first) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ExecResult owner = host.exec("cat", ownerFile);
            if (owner.exitCode() == 0 && !owner.stdout().isBlank()) {
                return owner.stdout().strip();
            }
            assertThat(first.isAlive()).as("the first apply still runs").isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the first apply did not take the lock within 60s");
    }
}
