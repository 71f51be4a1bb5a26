package dev.deploy.it.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift on a real Debian systemd host (issue 14 items 3-5), one container for the class, each test on its own state
 * directory: {@code deploy status} reports a stopped service and an edited store file, {@code apply} repairs both; an
 * edit in one store path leaves an older generation's file alone; a state directory too small for the plan is refused
 * before anything is sent; a disk that fills up during the transfer is reported as such.
 */
class DriftIT {

    private static DebianTestHost host;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        host = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private Path inventory(String name, String... fields) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory ${content}
                    healthCheck:
                      command: python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/')"
                      timeout: 20s
                """);
        Files.writeString(dir.resolve("modules/blob.yaml"), """
                module: blob
                options:
                  content: {type: source}
                """);
        return Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n" + host.inventoryEntry(name, fields));
    }

    private String sh(String script) {
        ExecResult result = host.exec("sh", "-c", script);
        assertThat(result.exitCode()).as(script + ": " + result.stderr()).isZero();
        return result.stdout();
    }

    private static String all(CliRun run) {
        return run.stdout() + run.stderr();
    }

    @Test
    void statusReportsAStoppedServiceAndAnEditedStoreFileAndApplyRepairsBoth() throws Exception {
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "as deployed\n");
        Path inventory = inventory("deb1", "modules: [site]", "options: {site.content: \"path:www\"}");
        CliRun first = CliRun.against(inventory, "apply");
        assertThat(first.exitCode()).as(all(first)).isZero();
        CliRun clean = CliRun.against(inventory, "status", "--detailed-exitcode");
        assertThat(clean.exitCode()).as(all(clean)).isZero();
        assertThat(clean.stdout()).contains("generation 1: up to date", "service site.service: active",
                "store: 2 live store path(s) checked", "lock: free");

        sh("systemctl stop site.service");
        // root ignores the read-only mode: the edit goes into the live store path in place
        sh("echo tampered >> /var/lib/deploy/current/roots/source/site.content/index.html");

        CliRun drifted = CliRun.against(inventory, "status", "--detailed-exitcode");
        assertThat(drifted.exitCode()).as(all(drifted)).isEqualTo(2);
        assertThat(drifted.stdout()).contains("deb1 (", "drifted", "! service site.service: inactive (expected active)",
                "1 damaged", "-site.content: file modified after sealing: index.html");
        CliRun json = CliRun.against(inventory, "status", "--json", "--verify");
        assertThat(json.stdout()).contains("\"drifted\" : true", "\"damage\" : \"modified\"",
                "\"state\" : \"inactive\"");

        CliRun plan = CliRun.against(inventory, "plan");
        assertThat(plan.stdout()).contains("~ start   site (was inactive)", "~ repair  ", "sent again whole");
        CliRun repair = CliRun.against(inventory, "apply");
        assertThat(repair.exitCode()).as(all(repair)).isZero();
        assertThat(sh("python3 -c \"import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8080/')"
                + ".read().decode(), end='')\"")).isEqualTo("as deployed\n");

        CliRun after = CliRun.against(inventory, "status", "--verify", "--detailed-exitcode");
        assertThat(after.exitCode()).as(all(after)).isZero();
        assertThat(after.stdout()).contains("as deployed", "service site.service: active",
                "(every file's SHA-256): ok");
        assertThat(CliRun.against(inventory, "apply").stdout()).contains("ok (no changes)");
    }

    @Test
    void anEditedUnitIsRepairedReloadedAndRestartedASavedPlanNeverStartsAServiceStoppedSinceItAndADropInIsDrift() throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/unitsite.yaml"), """
                module: unitsite
                options:
                  content: {type: source}
                services:
                  unitsite:
                    description: as deployed
                    exec: /usr/bin/python3 -m http.server 8091 --bind 127.0.0.1 --directory ${content}
                """);
        Files.createDirectories(dir.resolve("pages"));
        Files.writeString(dir.resolve("pages/index.html"), "page\n");
        Path inventory = inventory("units", "stateDir: /srv/units", "modules: [unitsite]",
                "options: {unitsite.content: \"path:pages\"}");
        CliRun first = CliRun.against(inventory, "apply");
        assertThat(first.exitCode()).as(all(first)).isZero();
        String pid = sh("systemctl show -p MainPID --value unitsite.service").strip();

        // root edits the unit in the store and makes systemd load it: the service runs the edited unit
        sh("sed -i 's/^Description=.*/Description=edited/' \"$(readlink -f /srv/units/current/units/unitsite.service)\""
                + " && systemctl daemon-reload && systemctl restart unitsite.service");
        CliRun plan = CliRun.against(inventory, "plan");
        assertThat(plan.stdout()).contains("~ restart unitsite  (unit repaired)", "~ repair  ");
        CliRun repair = CliRun.against(inventory, "apply");
        assertThat(repair.exitCode()).as(all(repair)).isZero();
        assertThat(sh("systemctl show -p Description -p NeedDaemonReload unitsite.service"))
                .contains("Description=as deployed", "NeedDaemonReload=no");
        assertThat(sh("systemctl show -p MainPID --value unitsite.service").strip()).isNotEqualTo(pid);

        Path saved = dir.resolve("plan.json");
        assertThat(CliRun.against(inventory, "plan", "--out", saved.toString()).stdout()).contains("no changes");
        sh("systemctl stop unitsite.service");
        CliRun stale = CliRun.of("apply", "--no-color", saved.toString());
        assertThat(stale.exitCode()).as(all(stale)).isEqualTo(1);
        assertThat(stale.stderr()).contains("units: check plan: changed since the plan was made: apply would now "
                + "also start unitsite (was inactive), which the plan does not show");
        assertThat(sh("systemctl show -p ActiveState --value unitsite.service").strip()).isEqualTo("inactive");

        // systemctl edit: a drop-in deploy did not make changes how the service runs
        assertThat(CliRun.against(inventory, "apply").exitCode()).isZero();
        sh("mkdir -p /etc/systemd/system/unitsite.service.d && printf '[Service]\\nEnvironment=X=1\\n'"
                + " > /etc/systemd/system/unitsite.service.d/override.conf && systemctl daemon-reload");
        CliRun overridden = CliRun.against(inventory, "status", "--detailed-exitcode");
        assertThat(overridden.exitCode()).as(all(overridden)).isEqualTo(2);
        assertThat(overridden.stdout()).contains("! service unitsite.service: active (not from deploy's unit alone)",
                "! drop-in /etc/systemd/system/unitsite.service.d/override.conf",
                "drifted (1 with overrides deploy did not make, which apply leaves in place")
                .doesNotContain("repairs them");
        // apply leaves a file it did not make in place (and says nothing changed); status keeps reporting it
        CliRun kept = CliRun.against(inventory, "apply");
        assertThat(kept.exitCode()).as(all(kept)).isZero();
        assertThat(sh("cat /etc/systemd/system/unitsite.service.d/override.conf")).contains("Environment=X=1");
        assertThat(CliRun.against(inventory, "status", "--detailed-exitcode").exitCode()).isEqualTo(2);
        sh("rm -r /etc/systemd/system/unitsite.service.d && systemctl daemon-reload");
        assertThat(CliRun.against(inventory, "status", "--detailed-exitcode").exitCode()).isZero();

        // deploy's unit link removed by hand: the service still runs, but not after the next boot; apply links it
        sh("rm /etc/systemd/system/unitsite.service && systemctl daemon-reload");
        CliRun unlinked = CliRun.against(inventory, "status", "--detailed-exitcode");
        assertThat(unlinked.exitCode()).as(all(unlinked)).isEqualTo(2);
        assertThat(unlinked.stdout()).contains("! missing link /etc/systemd/system/unitsite.service (apply links it "
                + "again)", "'deploy apply' repairs them");
        assertThat(CliRun.against(inventory, "plan").stdout()).contains("~ start   unitsite (was not linked)");
        CliRun relink = CliRun.against(inventory, "apply");
        assertThat(relink.exitCode()).as(all(relink)).isZero();
        assertThat(sh("readlink /etc/systemd/system/unitsite.service; systemctl is-enabled unitsite.service;"
                + " systemctl show -p LoadState --value unitsite.service"))
                .isEqualTo("/srv/units/current/units/unitsite.service\nenabled\nloaded\n");
        assertThat(CliRun.against(inventory, "status", "--detailed-exitcode").exitCode()).isZero();
    }

    @Test
    void anEditInOneStorePathDoesNotChangeAnOlderGenerationsFile() throws Exception {
        Files.createDirectories(dir.resolve("files"));
        Files.writeString(dir.resolve("files/changing.txt"), "one\n");
        Files.writeString(dir.resolve("files/same.txt"), "unchanged between generations\n");
        Path inventory = inventory("gens", "stateDir: /srv/gens", "modules: [blob]",
                "options: {blob.content: \"path:files\"}");
        assertThat(CliRun.against(inventory, "apply").exitCode()).isZero();
        Files.writeString(dir.resolve("files/changing.txt"), "two\n");
        CliRun second = CliRun.against(inventory, "apply");
        assertThat(second.exitCode()).as(all(second)).isZero();
        assertThat(second.stdout()).as("same.txt came from the host's earlier store path").contains("to send: 1 file, 4 B (1 copied on the host from its earlier versions)");

        sh("echo edited >> /srv/gens/generations/2/roots/source/blob.content/same.txt");
        assertThat(sh("cat /srv/gens/generations/1/roots/source/blob.content/same.txt"))
                .isEqualTo("unchanged between generations\n");
        CliRun status = CliRun.against(inventory, "status", "--detailed-exitcode");
        assertThat(status.exitCode()).as(all(status)).isEqualTo(2);
        assertThat(status.stdout()).contains("file modified after sealing: same.txt");
    }

    @Test
    void aHostWithTooLittleSpaceIsRefusedBeforeAnythingIsSent() throws Exception {
        sh("mkdir -p /srv/small && mount -t tmpfs -o size=2m,mode=0755 tmpfs /srv/small");
        Files.createDirectories(dir.resolve("big"));
        byte[] bytes = new byte[3 * 1024 * 1024];
        new Random(14).nextBytes(bytes);
        Files.write(dir.resolve("big/blob.bin"), bytes);
        Path inventory = inventory("small", "stateDir: /srv/small", "modules: [blob]",
                "options: {blob.content: \"path:big\"}");

        CliRun plan = CliRun.against(inventory, "plan");
        assertThat(plan.exitCode()).as(all(plan)).isEqualTo(1);
        assertThat(plan.stderr()).contains("deploy: error: small: free space: not enough space on small: need 3.0 MiB,"
                + " have 2.0 MiB in /srv/small");
        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(all(apply)).isEqualTo(1);
        assertThat(apply.stderr()).contains("small: free space: not enough space on small: need 3.0 MiB");
        assertThat(sh("find /srv/small/store -mindepth 1 -not -name .meta")).as("nothing was sent").isEmpty();
        assertThat(sh("df -Pk /srv/small | awk 'NR==2 {print $3}'").strip()).as("KiB used").isEqualTo("0");
    }

    @Test
    void aDiskThatFillsUpDuringTheTransferIsReportedAsNoSpaceLeftWithThePath() throws Exception {
        // room for the bytes, but not for the files: tmpfs counts inodes, df only bytes
        sh("mkdir -p /srv/inodes && mount -t tmpfs -o size=8m,nr_inodes=40,mode=0755 tmpfs /srv/inodes");
        Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 60; i++) {
            Files.writeString(dir.resolve("many/file-" + i + ".txt"), "file " + i + "\n");
        }
        Path inventory = inventory("inodes", "stateDir: /srv/inodes", "modules: [blob]",
                "options: {blob.content: \"path:many\"}");
        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(all(apply)).isEqualTo(1);
        assertThat(apply.stderr()).contains("inodes: transfer: ", "No space left on device", "/srv/inodes/store")
                .doesNotContain("Exiting with failure status");

        // a disk full to the last byte: the lock step says so instead of blaming flock
        sh("dd if=/dev/zero of=/srv/inodes/fill bs=64k 2>/dev/null || true; rm -rf /srv/inodes/store/.incoming-*");
        CliRun full = CliRun.against(inventory, "apply");
        assertThat(full.exitCode()).as(all(full)).isEqualTo(1);
        assertThat(full.stderr()).contains("inodes: ", "/srv/inodes/", "No space left on device")
                .doesNotContain("flock");
    }
}
