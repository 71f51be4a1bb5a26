package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activation on a local target through the real CLI: modes that do not depend on the controller's umask, a step
 * failing after the switch that leaves the previous generation live and marks the new one failed, rollback that
 * skips failed generations, and a planted link in the state directory that is refused.
 */
class LocalActivationTest {

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
                files:
                  conf: {name: site.conf, text: "root=${content}\\n"}
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server 8080 --directory ${content}
                """);
        Files.createDirectories(project.resolve("www/sub"));
        Files.writeString(project.resolve("www/index.html"), "version one\n");
        Files.writeString(project.resolve("www/sub/page.html"), "page\n");
        inventory = Files.writeString(project.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [site]
                    options: {site.content: path:www}
                """);
        state = project.resolve("state");
    }

    private CliRun deploy(String... args) {
        return CliRun.against(inventory, args);
    }

    private String current() throws Exception {
        return Files.readSymbolicLink(state.resolve("current")).toString();
    }

    /** Every entry under the state directory but the lock owner, with its mode: "drwxr-xr-x store/...". */
    private static List<String> modes(Path root) throws Exception {
        List<String> modes = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted().toList()) {
                if (Files.isSymbolicLink(path)) {
                    continue;
                }
                String name = root.relativize(path).toString().replaceAll("[a-z0-9]{32}-", "HASH-");
                if (name.startsWith("watchdog/")) {
                    name = name.replaceAll("\\.[A-Za-z0-9]{6}$", "");
                }
                modes.add((Files.isDirectory(path) ? "d" : "-")
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) + " " + name);
            }
        }
        modes.sort(null);
        return modes;
    }

    private List<String> applyUnderUmask(String umask, Path root) throws Exception {
        Files.writeString(inventory, Files.readString(inventory).replaceAll("root: [a-z0-9-]+", "root: " + root));
        Path log = project.resolve("apply-" + umask + ".log");
        Process apply = ControllerProcess.start("umask " + umask + ";", log, "apply", "--no-color",
                inventory.toString());
        assertThat(apply.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(apply.exitValue()).as(Files.readString(log)).isZero();
        return modes(project.resolve(root));
    }

    @Test
    void modesAreTheSameUnderUmask000And077AndNothingIsWritableByOthers() throws Exception {
        List<String> open = applyUnderUmask("000", Path.of("state-000"));
        List<String> closed = applyUnderUmask("077", Path.of("state-077"));

        assertThat(open).isEqualTo(closed);
        assertThat(open).contains("drwxr-xr-x ", "drwxr-xr-x store", "drwxr-xr-x generations",
                "drwxr-xr-x generations/1", "-rw-r--r-- generations/1/manifest.json", "-rw-r--r-- lock",
                "dr-xr-xr-x store/HASH-site.content", "-r--r--r-- store/HASH-site.content/index.html",
                "dr-xr-xr-x store/HASH-site.content/sub");
        assertThat(open).noneMatch(line -> line.charAt(5) == 'w' || line.charAt(8) == 'w');
    }

    @Test
    void aStepFailingAfterTheSwitchLeavesThePreviousGenerationLiveAndMarksTheNewOneFailed() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(project.resolve("www/index.html"), "version two\n");
        Files.createDirectories(state.resolve(".current.new")); // odd host state: the switch cannot be made

        CliRun broken = deploy("apply");

        assertThat(broken.exitCode()).as(broken.stderr()).isEqualTo(1);
        assertThat(broken.stdout()).contains("FAILED, RESTORED");
        assertThat(broken.stderr()).contains("box: switch: ", ".current.new is in the way", "restored generation 1");
        assertThat(current()).isEqualTo("generations/1");
        CliRun generations = deploy("generations");
        assertThat(generations.stdout()).containsPattern("\\* +1 ").containsPattern("! +2 .*FAILED: .*switch: ");
        CliRun plan = deploy("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as("plan tells the truth: generation 1 is live, two is wanted").isEqualTo(2);
    }

    @Test
    void rollbackSkipsFailedGenerationsAndNeedsForceToSelectOne() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(project.resolve("www/index.html"), "version two\n");
        Files.createDirectories(state.resolve(".current.new"));
        assertThat(deploy("apply").exitCode()).isEqualTo(1); // generation 2 failed
        Files.delete(state.resolve(".current.new"));
        Files.writeString(project.resolve("www/index.html"), "version three\n");
        assertThat(deploy("apply").exitCode()).isZero(); // generation 3
        assertThat(current()).isEqualTo("generations/3");

        CliRun rollback = deploy("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
        assertThat(rollback.stdout()).contains("box: generation 3 -> 1");
        assertThat(current()).isEqualTo("generations/1");

        CliRun toFailed = deploy("rollback", "--to", "2");
        assertThat(toFailed.exitCode()).isEqualTo(3);
        assertThat(toFailed.stderr()).contains("box: --to: generation 2 is marked failed", "add --force");
        assertThat(current()).isEqualTo("generations/1");

        CliRun forced = deploy("rollback", "--to", "2", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(current()).isEqualTo("generations/2");
        CliRun generations = deploy("generations");
        assertThat(generations.stdout()).as("switched to and healthy: no longer marked failed")
                .containsPattern("(?m)^ +\\* +2 ").doesNotContainPattern("(?m)^ +. +2 .*FAILED");
    }

    @Test
    void aPlantedLinkInTheStateDirectoryIsRefusedAndItsTargetUntouched() throws Exception {
        Path victim = Files.writeString(project.resolve("victim"), "precious\n");
        Files.createDirectories(state);
        Files.createSymbolicLink(state.resolve("lock.owner"), victim);

        CliRun apply = deploy("apply");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.stderr()).contains("box: state directory: " + state.resolve("lock.owner")
                + " is a symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(state.resolve("generations")).doesNotExist();
    }
}
