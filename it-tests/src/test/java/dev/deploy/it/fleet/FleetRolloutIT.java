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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling rollouts, fail-fast, the NDJSON event stream and a connection lost in the middle of an apply, on four
 * Debian bookworm systemd hosts reached over SSH and driven through the CLI. The containers are shared; each test
 * has its own module (service name, port, state directory), so tests never see each other's generations.
 *
 * <p>A host's health check is {@code test -f CONTENT/ok}: content without an {@code ok} file makes that host fail
 * its check after the switch, and the controller rolls it back.
 */
class FleetRolloutIT {

    private static final List<String> NAMES = List.of("deb1", "deb2", "deb3", "deb4");
    private static final List<DebianTestHost> HOSTS = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void startHosts() {
        List<CompletableFuture<DebianTestHost>> starting = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            starting.add(CompletableFuture.supplyAsync(() -> DebianTestHost.start(TestHostImage.BOOKWORM)));
        }
        starting.forEach(host -> HOSTS.add(host.join()));
    }

    @AfterAll
    static void stopHosts() {
        HOSTS.forEach(DebianTestHost::close);
        HOSTS.clear();
    }

    /** Module {@code name}: serves CONTENT on {@code port}; healthy when CONTENT/ok exists ({@code check} added). */
    private void module(String name, int port, String extraCheck, int timeoutSeconds) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        String check = "test -f ${content}/ok" + (extraCheck == null ? "" : " && " + extraCheck);
        Files.writeString(dir.resolve("modules/" + name + ".yaml"), """
                module: %1$s
                options:
                  content: {type: source}
                services:
                  %1$s:
                    exec: /usr/bin/python3 -m http.server %2$d --bind 127.0.0.1 --directory ${content}
                    healthCheck:
                      command: "%3$s"
                      timeout: %4$ds
                """.formatted(name, port, check, timeoutSeconds));
    }

    /** Content {@code text from HOST} for each host; every host but those in {@code unhealthy} gets an ok file. */
    private void content(String text, Set<String> unhealthy) throws Exception {
        for (String host : NAMES) {
            Path www = Files.createDirectories(dir.resolve("www/" + host));
            Files.writeString(www.resolve("index.html"), text + " from " + host + "\n");
            Files.deleteIfExists(www.resolve("ok"));
            if (!unhealthy.contains(host)) {
                Files.writeString(www.resolve("ok"), "");
            }
        }
    }

    /** The first {@code count} hosts, each with its own content, sharing the module's state directory name. */
    private Path inventory(String module, int count) throws Exception {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < count; i++) {
            hosts.append(HOSTS.get(i).inventoryEntry(NAMES.get(i),
                    "options: {" + module + ".content: \"path:www/" + NAMES.get(i) + "\"}"));
        }
        return Files.writeString(dir.resolve("inventory.yaml"), """
                defaults:
                  stateDir: /var/lib/deploy-%1$s
                  modules: [%1$s]
                hosts:
                %2$s""".formatted(module, hosts));
    }

    private static String current(int host, String module) {
        return HOSTS.get(host).exec("readlink", "/var/lib/deploy-" + module + "/current").stdout().strip();
    }

    private static String generations(int host, String module) {
        return HOSTS.get(host).exec("sh", "-c", "ls /var/lib/deploy-" + module + "/generations | tr '\\n' ' '")
                .stdout().strip();
    }

    /** What the host's service serves right now (apply returns only after health checks and rollbacks ended). */
    private static String served(int host, int port) {
        ExecResult result = HOSTS.get(host).exec("python3", "-c", "import urllib.request; print(urllib.request"
                + ".urlopen('http://127.0.0.1:" + port + "/').read().decode(), end='')");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    private static void applyFirstGeneration(Path inventory) {
        CliRun first = CliRun.against(inventory, "apply", "--parallel", "4");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
    }

    @Test
    void aRolloutInBatchesOfTwoStopsAtTheHostThatFailsHealthAndLeavesTheNextUntouched() throws Exception {
        module("roll-a", 18101, null, 3);
        content("v1", Set.of());
        Path inventory = inventory("roll-a", 4);
        applyFirstGeneration(inventory);
        content("v2", Set.of("deb3"));

        CliRun run = CliRun.against(inventory, "apply", "--batch", "2", "--parallel", "1");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
        assertThat(current(0, "roll-a")).isEqualTo("generations/2");
        assertThat(current(1, "roll-a")).isEqualTo("generations/2");
        assertThat(served(0, 18101)).isEqualTo("v2 from deb1\n");
        assertThat(served(1, 18101)).isEqualTo("v2 from deb2\n");
        assertThat(current(2, "roll-a")).as("rolled back").isEqualTo("generations/1");
        assertThat(served(2, 18101)).isEqualTo("v1 from deb3\n");
        assertThat(current(3, "roll-a")).isEqualTo("generations/1");
        assertThat(generations(3, "roll-a")).as("nothing written on the untouched host").isEqualTo("1");
        assertThat(served(3, 18101)).isEqualTo("v1 from deb4\n");
        assertThat(run.stdout())
                .containsSubsequence("-- batch 1 of 2 --", "deb1", "deb2", "-- batch 2 of 2 --", "deb3", "deb4")
                .containsPattern("(?m)^deb1 +2 +yes .* ok$")
                .containsPattern("(?m)^deb3 +1 +yes .*ROLLED BACK$")
                .containsPattern("(?m)^deb4 +- +- .* skipped$")
                .contains("Apply: 2 applied, 1 rolled back, 1 skipped. Rollout stopped after batch 2: 1 host "
                        + "failed (limit 1).");
        assertThat(run.stderr()).contains("deploy: error: deb3: health check: ");
    }

    @Test
    void withRollbackRunOnAbortTheHostsTheRolloutAlreadySwitchedGoBackToo() throws Exception {
        module("roll-b", 18102, null, 3);
        content("v1", Set.of());
        Path inventory = inventory("roll-b", 4);
        applyFirstGeneration(inventory);
        content("v2", Set.of("deb3"));

        CliRun run = CliRun.against(inventory, "apply", "--batch", "2", "--parallel", "1", "--rollback-run-on-abort",
                "--json");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            assertThat(current(i, "roll-b")).as(NAMES.get(i)).isEqualTo("generations/1");
            assertThat(served(i, 18102)).isEqualTo("v1 from " + NAMES.get(i) + "\n");
        }
        assertThat(generations(0, "roll-b")).as("generation 2 stays, no longer current").isEqualTo("1 2");
        assertThat(generations(3, "roll-b")).isEqualTo("1");
        JsonNode doc = JSON.readTree(run.stdout());
        Map<String, String> outcomes = new HashMap<>();
        doc.get("hosts").forEach(host -> outcomes.put(host.get("host").asText(), host.get("outcome").asText()));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("deb1", "rolled-back-on-abort",
                "deb2", "rolled-back-on-abort", "deb3", "rolled-back", "deb4", "skipped"));
        JsonNode rollback = doc.get("hosts").get(0).get("rollback");
        assertThat(rollback.get("from").asInt()).isEqualTo(2);
        assertThat(rollback.get("to").asInt()).isEqualTo(1);
        assertThat(doc.get("aborted").get("reason").asText()).isEqualTo("failure-limit");
    }

    @Test
    void failFastAfterAHealthFailureDeploysNoFurtherHost() throws Exception {
        module("roll-c", 18103, null, 3);
        content("v1", Set.of());
        Path inventory = inventory("roll-c", 2);
        applyFirstGeneration(inventory);
        content("v2", Set.of("deb1"));

        CliRun run = CliRun.against(inventory, "apply", "--parallel", "1", "--fail-fast");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
        assertThat(current(0, "roll-c")).isEqualTo("generations/1");
        assertThat(current(1, "roll-c")).isEqualTo("generations/1");
        assertThat(generations(1, "roll-c")).isEqualTo("1");
        assertThat(served(1, 18103)).isEqualTo("v1 from deb2\n");
        assertThat(run.stdout()).containsPattern("(?m)^deb1 +1 +yes .*ROLLED BACK$")
                .containsPattern("(?m)^deb2 +- +- .* skipped$");
    }

    @Test
    void theNdjsonEventStreamFollowsABatchedRolloutInOrder() throws Exception {
        module("roll-d", 18104, null, 20);
        content("v1", Set.of());
        Path inventory = inventory("roll-d", 2);

        CliRun run = CliRun.against(inventory, "apply", "--events", "ndjson", "--batch", "1");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.stdout().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        List<String> types = lines.stream().map(line -> line.get("type").asText()).toList();
        assertThat(lines).allSatisfy(line -> assertThat(line.get("format").asInt()).isEqualTo(1));
        assertThat(types.get(0)).isEqualTo("run-started");
        assertThat(types.get(types.size() - 1)).isEqualTo("result");
        // Per host, each kind of event comes in this order (those the engine does not emit may be absent).
        List<String> rank = List.of("host-started", "connected", "planned", "transfer-progress", "switched",
                "health-checked", "confirmed", "host-finished");
        for (String host : List.of("deb1", "deb2")) {
            List<String> seen = lines.stream().filter(line -> host.equals(line.path("host").asText()))
                    .map(line -> line.get("type").asText()).toList();
            assertThat(seen).as(host).contains("host-started", "connected", "planned", "transfer-progress",
                    "host-finished");
            assertThat(seen).as(host).isSortedAccordingTo((a, b) -> rank.indexOf(a) - rank.indexOf(b));
            assertThat(seen.get(seen.size() - 1)).isEqualTo("host-finished");
        }
        int batch1Started = indexOf(lines, "batch-started", 1);
        int batch1Finished = indexOf(lines, "batch-finished", 1);
        int batch2Started = indexOf(lines, "batch-started", 2);
        assertThat(batch1Started).isLessThan(hostEvent(lines, "deb1", "host-started"));
        assertThat(hostEvent(lines, "deb1", "host-finished")).isLessThan(batch1Finished);
        assertThat(batch1Finished).isLessThan(batch2Started);
        assertThat(batch2Started).isLessThan(hostEvent(lines, "deb2", "host-started"));
        JsonNode result = lines.get(lines.size() - 1);
        assertThat(result.get("hosts")).extracting(host -> host.get("outcome").asText())
                .containsExactly("applied", "applied");
        JsonNode lastProgress = lines.stream().filter(line -> line.get("type").asText().equals("transfer-progress")
                && line.get("host").asText().equals("deb1")).reduce((a, b) -> b).orElseThrow();
        assertThat(lastProgress.get("filesSent").asInt()).isEqualTo(lastProgress.get("totalFiles").asInt());
    }

    private static int indexOf(List<JsonNode> lines, String type, int batch) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).get("type").asText().equals(type) && lines.get(i).get("batch").asInt() == batch) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " of batch " + batch);
    }

    private static int hostEvent(List<JsonNode> lines, String host, String type) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).get("type").asText().equals(type) && host.equals(lines.get(i).path("host").asText())) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " of " + host);
    }

    @Test
    void aConnectionLostInTheMiddleOfAnApplyEndsWithTheTableTheJsonAndExit1() throws Exception {
        DebianTestHost host = HOSTS.get(0);
        String checking = "/run/roll-e-checking";
        // The health check marks that it runs and never passes: the test cuts the connection while it polls.
        module("roll-e", 18105, "touch " + checking + " && test -e /run/roll-e-never", 120);
        content("v1", Set.of());
        Path inventory = inventory("roll-e", 1);

        CliRun table = applyCuttingTheConnection(host, checking, inventory);

        assertThat(table.exitCode()).as(table.stdout() + table.stderr()).isEqualTo(1);
        assertThat(table.stderr()).doesNotContain("internal error").contains("deploy: error: deb1: ");
        assertThat(table.stdout()).containsPattern("(?m)^deb1 .*(FAILED|REVERTED|ROLLED BACK|RESTORED).*$")
                .contains("HOST", "RESULT", "Apply: 1 ");

        content("v2", Set.of());
        CliRun json = applyCuttingTheConnection(host, checking, inventory, "--json");

        assertThat(json.exitCode()).as(json.stdout() + json.stderr()).isEqualTo(1);
        JsonNode hostResult = JSON.readTree(json.stdout()).get("hosts").get(0);
        assertThat(hostResult.get("outcome").asText()).isIn("not-restored", "reverted", "restored", "rolled-back");
        assertThat(hostResult.get("error").asText()).startsWith("deb1: ");
        assertThat(json.stderr()).doesNotContain("internal error");
    }

    /** Runs apply on another thread; once the host's health check runs, cuts every connection to the host. */
    private static CliRun applyCuttingTheConnection(DebianTestHost host, String marker, Path inventory,
                                                    String... options) throws Exception {
        host.exec("rm", "-f", marker);
        List<String> args = new ArrayList<>(List.of("apply"));
        args.addAll(List.of(options));
        CompletableFuture<CliRun> apply = CompletableFuture.supplyAsync(() ->
                CliRun.against(inventory, args.toArray(String[]::new)));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (host.exec("test", "-e", marker).exitCode() != 0) {
            assertThat(apply.isDone()).as("apply ended before its health check ran: %s",
                    apply.isDone() ? apply.join().stdout() + apply.join().stderr() : "").isFalse();
            assertThat(System.nanoTime()).as("the health check never ran").isLessThan(deadline);
            Thread.sleep(200);
        }
        host.bridge().dropAllConnections();
        return apply.get(120, TimeUnit.SECONDS);
    }
}
