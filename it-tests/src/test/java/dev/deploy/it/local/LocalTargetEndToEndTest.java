package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline through the real CLI on a local target: apply, change, plan, apply, rollback, gc. */
class LocalTargetEndToEndTest {

    @TempDir
    Path project;

    private Path inventory;
    private Path state;

    @BeforeEach
    void writeProject() throws Exception {
        Files.createDirectories(project.resolve("modules"));
        Files.writeString(project.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                  port: {type: int, default: 8080}
                files:
                  conf:
                    name: site.conf
                    text: "port=${port} root=${content}\\n"
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server ${port} --directory ${content}
                    environment: {CONF: "${files.conf}"}
                """);
        Files.createDirectories(project.resolve("www/css"));
        Files.writeString(project.resolve("www/index.html"), "version one\n");
        Files.writeString(project.resolve("www/css/site.css"), "body {}\n");
        inventory = Files.writeString(project.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [site]
                    options:
                      site.content: path:www
                """);
        state = project.resolve("state");
    }

    private CliRun deploy(String... args) {
        return CliRun.against(inventory, args);
    }

    private String live(String path) throws Exception {
        return Files.readString(state.resolve("current/roots/source/site.content").resolve(path));
    }

    private long storeEntries() throws Exception {
        try (Stream<Path> list = Files.list(state.resolve("store"))) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void applyChangeApplyRollbackAndGcKeepWhatTheyMust() throws Exception {
        CliRun first = deploy("apply");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/1");
        assertThat(live("index.html")).isEqualTo("version one\n");
        assertThat(first.stdout()).contains("box", "ok");

        CliRun noChanges = deploy("plan", "--detailed-exitcode");
        assertThat(noChanges.exitCode()).isZero();
        assertThat(noChanges.stdout()).contains("box (local " + state + "): no changes, generation 1");

        Files.writeString(project.resolve("www/index.html"), "version two\n");
        CliRun plan = deploy("plan", "--detailed-exitcode", "--json");
        assertThat(plan.exitCode()).isEqualTo(2);
        JsonNode host = new ObjectMapper().readTree(plan.stdout()).get("hosts").get(0);
        assertThat(host.get("storePathsToAdd")).hasSize(1);
        assertThat(host.get("storePathsToAdd").get(0).get("storePath").asText()).endsWith("-site.content");
        assertThat(host.get("services")).hasSize(1);
        assertThat(host.get("services").get(0).get("action").asText()).isEqualTo("restart");
        assertThat(host.get("servicesStarted").asBoolean()).as("a local target only records services").isFalse();
        assertThat(live("index.html")).as("plan changes nothing").isEqualTo("version one\n");

        CliRun second = deploy("apply");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/2");
        assertThat(live("index.html")).isEqualTo("version two\n");

        CliRun generations = deploy("generations");
        assertThat(generations.stdout()).contains("    1  ", "*    2  ", "~source/site.content", "~service site");

        CliRun rollback = deploy("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
        // nothing is restarted on a local target without services: systemd, and the line says so
        assertThat(rollback.stdout()).contains("box: generation 2 -> 1 (site changed; recorded only: local target "
                + "without services: systemd)");
        assertThat(live("index.html")).isEqualTo("version one\n");

        CliRun forward = deploy("rollback", "--to", "2");
        assertThat(forward.exitCode()).isZero();
        assertThat(live("index.html")).isEqualTo("version two\n");

        long before = storeEntries();
        CliRun gc = deploy("gc", "--keep", "1");
        assertThat(gc.exitCode()).as(gc.stderr()).isZero();
        assertThat(gc.stdout()).contains("box: deleted generation 1 and 1 store path");
        assertThat(storeEntries()).isEqualTo(before - 1);
        assertThat(Files.exists(state.resolve("generations/1"))).isFalse();
        assertThat(live("index.html")).isEqualTo("version two\n");
        assertThat(deploy("plan", "--detailed-exitcode").exitCode()).as("gc kept everything current needs").isZero();
    }

    @Test
    void gcNeverDeletesTheCurrentGenerationEvenWhenItIsOld() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(project.resolve("www/index.html"), "version two\n");
        assertThat(deploy("apply").exitCode()).isZero();
        assertThat(deploy("rollback", "--to", "1").exitCode()).isZero();
        CliRun gc = deploy("gc", "--keep", "1");
        assertThat(gc.exitCode()).isZero();
        assertThat(Files.exists(state.resolve("generations/1"))).isTrue();
        assertThat(Files.exists(state.resolve("generations/2"))).isTrue();
        assertThat(live("index.html")).isEqualTo("version one\n");
    }

    @Test
    void storePathsAreReadOnlyAndCarryTheExecutableBit() throws Exception {
        Files.writeString(project.resolve("www/run.sh"), "#!/bin/sh\n");
        project.resolve("www/run.sh").toFile().setExecutable(true);
        assertThat(deploy("apply").exitCode()).isZero();
        Path site = state.resolve("current/roots/source/site.content").toRealPath();
        assertThat(site.getParent()).isEqualTo(state.resolve("store").toRealPath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(site.resolve("run.sh"))))
                .isEqualTo("r-xr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(site.resolve("index.html"))))
                .isEqualTo("r--r--r--");
    }

    @Test
    void badInputIsOneLineWithExitCodeThreeAndTouchesNothing() throws Exception {
        Files.writeString(inventory, """
                hosts:
                  box:
                    local: {root: state}
                    modules: [site]
                    options:
                      site.content: path:www
                      site.port: eighty
                """);
        CliRun run = deploy("apply");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.stderr().strip()).isEqualTo("deploy: error: " + inventory
                + ":7:18: hosts.box.options.site.port: expected an integer, got \"eighty\"");
        assertThat(Files.exists(state)).isFalse();
    }

    @Test
    void secondApplyFailsFastWhileTheLockIsHeld() throws Exception {
        Files.createDirectories(state);
        Process holder = new ProcessBuilder("flock", "-o", state.resolve("lock").toString(), "-c",
                "echo someone-else > " + state.resolve("lock.owner") + "; echo held; sleep 30").start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(5))).isEqualTo("held\n");
            CliRun run = deploy("apply");
            assertThat(run.exitCode()).isEqualTo(4);
            assertThat(run.stderr()).contains("box: lock: another deploy holds", "(someone-else)");
            assertThat(Files.exists(state.resolve("current"))).isFalse();
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(deploy("apply").exitCode()).as("the lock dies with its holder").isZero();
    }

    @Test
    void aDirectoryHoldingInventoryYamlIsTheInventory() throws Exception {
        CliRun apply = CliRun.of("apply", "--no-color", project.toString());
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(live("index.html")).isEqualTo("version one\n");
        assertThat(CliRun.of("plan", "--detailed-exitcode", project.toString()).exitCode()).isZero();
    }

    @Test
    void helpExplainsCommandsAndExitCodes() {
        CliRun help = CliRun.of("apply", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Usage: deploy apply", "--on=HOSTS", "--parallel", "Exit codes:",
                "another deploy holds a host's lock");
        CliRun unknown = CliRun.of("aply");
        assertThat(unknown.exitCode()).isEqualTo(3);
    }
}
