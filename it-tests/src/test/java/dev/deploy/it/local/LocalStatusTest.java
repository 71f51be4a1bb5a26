package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy status} and the repair of an edited store file through the real CLI on a local target (issue 14
 * items 3 and 4): status is read-only, says what drifted, and exits 2 with {@code --detailed-exitcode}; apply re-sends
 * the damaged store path and the next status is clean; a source that changed since the last apply is "outdated".
 */
class LocalStatusTest {

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
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server 8080 --directory ${content}
                """);
        Files.createDirectories(project.resolve("www"));
        Files.writeString(project.resolve("www/index.html"), "version one\n");
        inventory = Files.writeString(project.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [site]
                    options: {site.content: "path:www"}
                """);
        state = project.resolve("state");
    }

    private CliRun deploy(String... args) {
        return CliRun.against(inventory, args);
    }

    private Path liveIndex() {
        return state.resolve("current/roots/source/site.content/index.html");
    }

    /** Appends to a sealed file as an admin would (making it writable first) and seals it again. */
    private void tamper(Path file) throws Exception {
        Path real = file.toRealPath();
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(real, "tampered\n", StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("r--r--r--"));
    }

    @Test
    void statusFindsAnEditedStoreFileApplyRepairsItAndTheNextStatusIsClean() throws Exception {
        CliRun never = deploy("status", "--detailed-exitcode");
        assertThat(never.exitCode()).as(never.stdout() + never.stderr()).isEqualTo(2);
        assertThat(never.stdout()).contains("no generation: outdated (never deployed)");
        assertThat(deploy("apply").exitCode()).isZero();

        CliRun clean = deploy("status", "--detailed-exitcode", "--verify");
        assertThat(clean.exitCode()).as(clean.stdout() + clean.stderr()).isZero();
        assertThat(clean.stdout()).contains("box (local " + state + "): as deployed", "generation 1: up to date",
                "store: 2 live store path(s) checked (every file's SHA-256): ok", "lock: free",
                "Status: 1 host(s) as deployed.");

        tamper(liveIndex());
        CliRun drifted = deploy("status", "--detailed-exitcode");
        assertThat(drifted.exitCode()).isEqualTo(2);
        assertThat(drifted.stdout()).contains("drifted", "file modified after sealing: index.html",
                "Status: 1 of 1 host(s) drifted");
        assertThat(deploy("status").exitCode()).as("without --detailed-exitcode drift is not an error").isZero();
        assertThat(Files.readString(liveIndex())).as("status changes nothing").endsWith("tampered\n");

        CliRun apply = deploy("apply");
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
        assertThat(apply.stdout()).contains("~ repair  ");
        assertThat(Files.readString(liveIndex())).isEqualTo("version one\n");
        CliRun after = deploy("status", "--detailed-exitcode", "--verify");
        assertThat(after.exitCode()).as(after.stdout()).isZero();
    }

    @Test
    void anEditWhoseModificationTimeWasPutBackIsFoundAndRepairedOnlyWithVerify() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        FileTime sealed = Files.getLastModifiedTime(liveIndex());
        tamper(liveIndex());
        Files.setLastModifiedTime(liveIndex().toRealPath(), sealed);
        assertThat(deploy("status", "--detailed-exitcode").exitCode()).isZero();
        CliRun verify = deploy("status", "--detailed-exitcode", "--verify", "--json");
        assertThat(verify.exitCode()).isEqualTo(2);
        JsonNode host = new ObjectMapper().readTree(verify.stdout()).get("hosts").get(0);
        assertThat(host.get("drifted").asBoolean()).isTrue();
        assertThat(host.get("store").get("check").asText()).isEqualTo("full");
        JsonNode damaged = null;
        for (JsonNode path : host.get("store").get("paths")) {
            if (path.get("status").asText().equals("damaged")) {
                damaged = path;
            }
        }
        assertThat(damaged).isNotNull();
        assertThat(damaged.get("damage").asText()).isEqualTo("content");
        assertThat(damaged.get("detail").asText()).isEqualTo("index.html");

        assertThat(deploy("apply").stdout()).as("the fast check cannot see it").contains("ok (no changes)");
        CliRun repair = deploy("apply", "--verify");
        assertThat(repair.exitCode()).as(repair.stdout() + repair.stderr()).isZero();
        assertThat(repair.stdout()).contains("~ repair  ", "content differs from its checksum: index.html");
        assertThat(Files.readString(liveIndex())).isEqualTo("version one\n");
        assertThat(deploy("status", "--detailed-exitcode", "--verify").exitCode()).isZero();
    }

    @Test
    void anEditedLiveFileNeverBlocksTheNextApplyThatChangesItsSource() throws Exception {
        Files.writeString(project.resolve("www/other.html"), "unchanged\n");
        assertThat(deploy("apply").exitCode()).isZero();
        Path other = state.resolve("current/roots/source/site.content/other.html");
        FileTime sealed = Files.getLastModifiedTime(other);
        tamper(other);
        Files.setLastModifiedTime(other.toRealPath(), sealed);
        Files.writeString(project.resolve("www/index.html"), "version two\n");

        // Before: "store path ...: content does not match its hash", on this and every later apply. The fast check
        // cannot see this edit, so the delta copies the altered file, fails its hash, and push sends everything.
        CliRun apply = deploy("apply");
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
        assertThat(Files.readString(state.resolve("current/roots/source/site.content/other.html")))
                .isEqualTo("unchanged\n");
        assertThat(Files.readString(liveIndex())).isEqualTo("version two\n");
    }

    @Test
    void rollbackRefusesAGenerationWhoseStorePathWasEditedAndChangesNothing() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Path first = state.resolve("generations/1/roots/source/site.content/index.html");
        Files.writeString(project.resolve("www/index.html"), "version two\n");
        assertThat(deploy("apply").exitCode()).isZero();
        tamper(first);

        CliRun rollback = deploy("rollback");
        assertThat(rollback.exitCode()).as(rollback.stdout() + rollback.stderr()).isEqualTo(1);
        assertThat(rollback.stderr()).contains("box: rollback: generation 1 has a damaged store path: ",
                "-site.content: file modified after sealing: index.html", "nothing was changed");
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/2");
        assertThat(Files.readString(liveIndex())).isEqualTo("version two\n");
        CliRun to = deploy("rollback", "--to", "1");
        assertThat(to.exitCode()).as(to.stdout() + to.stderr()).isEqualTo(1);
        assertThat(Files.readSymbolicLink(state.resolve("current")).toString()).isEqualTo("generations/2");
    }

    @Test
    void applyRepairsADamagedStorePathTheNewGenerationTakesBackFromAnOlderOneBeforeSwitchingToIt() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Path older = state.resolve("generations/1/roots/source/site.content/index.html");
        Files.writeString(project.resolve("www/index.html"), "version two\n");
        assertThat(deploy("apply").exitCode()).isZero();
        tamper(older);
        Files.writeString(project.resolve("www/index.html"), "version one\n");

        CliRun plan = deploy("plan");
        assertThat(plan.stdout()).as("the store path is on the host but not live").contains("~ repair  ",
                "-site.content (file modified after sealing: index.html; sent again whole)");
        CliRun apply = deploy("apply");
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
        assertThat(Files.readString(liveIndex())).isEqualTo("version one\n");
        assertThat(deploy("status", "--detailed-exitcode", "--verify").exitCode()).isZero();
    }

    @Test
    void aChangedSourceMakesTheHostOutdatedAndALeftoverTransferIsListed() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(project.resolve("www/index.html"), "version two\n");
        Files.createDirectories(state.resolve("store/.incoming-abcd1234"));
        CliRun status = deploy("status", "--detailed-exitcode");
        assertThat(status.exitCode()).isEqualTo(2);
        // a local target runs no services: status says what apply records, as plan does, not a restart
        assertThat(status.stdout()).contains("generation 1: outdated (apply would: ~source/site.content, site "
                + "changed; recorded only: local target without services: systemd)",
                "leftovers (removed by the next apply): " + state.resolve("store/.incoming-abcd1234"));
    }
}
