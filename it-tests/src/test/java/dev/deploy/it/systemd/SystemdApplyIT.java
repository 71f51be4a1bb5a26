package dev.deploy.it.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply, change and roll back a real systemd service on a Debian bookworm test host (systemd + OpenSSH, no rsync),
 * through the CLI over SSH. The service's HTTP answer is read inside the host.
 */
class SystemdApplyIT {

    @TempDir
    Path dir;

    private DebianTestHost host;
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        host = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                  port: {type: int, default: 8080}
                services:
                  site:
                    exec: /usr/bin/python3 -m http.server ${port} --bind 127.0.0.1 --directory ${content}
                    healthCheck:
                      command: python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}/')"
                      timeout: 20s
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

    private String served() {
        ExecResult result = host.exec("python3", "-c",
                "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:8080/').read().decode(), end='')");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    private CliRun deploy(String... args) {
        return CliRun.against(inventory, args);
    }

    @Test
    void applyStartsTheServiceChangeRestartsItAndRollbackRestoresThePreviousContent() throws Exception {
        CliRun first = deploy("apply");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        assertThat(served()).isEqualTo("version one\n");
        assertThat(host.exec("systemctl", "is-enabled", "site.service").stdout().strip()).isEqualTo("enabled");
        String firstPid = host.exec("systemctl", "show", "-p", "MainPID", "--value", "site.service").stdout().strip();

        Files.writeString(dir.resolve("www/index.html"), "version two\n");
        CliRun second = deploy("apply");
        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isZero();
        assertThat(served()).isEqualTo("version two\n");
        String secondPid = host.exec("systemctl", "show", "-p", "MainPID", "--value", "site.service").stdout().strip();
        assertThat(secondPid).as("the service was restarted").isNotEqualTo(firstPid);

        CliRun rollback = deploy("rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
        assertThat(rollback.stdout()).contains("deb1: generation 2 -> 1 (restart site)");
        assertThat(rollback.stderr()).contains("deb1: health: service site.service is healthy after ");
        assertThat(served()).isEqualTo("version one\n");
    }

    @Test
    void aServiceThatFailsItsHealthCheckIsRolledBackAutomatically() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(dir.resolve("modules/site.yaml"), Files.readString(dir.resolve("modules/site.yaml"))
                .replace("/usr/bin/python3 -m http.server", "/usr/bin/python3 -m no_such_module"));
        CliRun broken = deploy("apply");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stdout()).contains("ROLLED BACK");
        assertThat(broken.stderr()).contains("deb1: health check: service site.service failed (gave up after",
                "rolled back to generation 1");
        assertThat(host.exec("readlink", "/var/lib/deploy/current").stdout().strip()).isEqualTo("generations/1");
        assertThat(served()).isEqualTo("version one\n");
    }

    @Test
    void aHealthCommandThatNeverEndsFailsAtItsTimeoutIsKilledAndTheHostIsRolledBack() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(dir.resolve("modules/site.yaml"), Files.readString(dir.resolve("modules/site.yaml"))
                .replaceFirst("command: .*", "command: sleep 86399")
                .replace("timeout: 20s", "timeout: 3s"));
        Files.writeString(dir.resolve("www/index.html"), "version two\n");

        // Before, the probe waited for the command however long it ran: apply never ended, holding the lock.
        CliRun hung = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMinutes(5),
                () -> deploy("apply"), "apply must end although the health command never does");

        assertThat(hung.exitCode()).as(hung.stdout() + hung.stderr()).isEqualTo(1);
        assertThat(hung.stderr()).contains("deb1: health check: service site.service is not healthy after 3s",
                "did not finish within", "rolled back to generation 1");
        assertThat(served()).isEqualTo("version one\n");
        assertThat(host.exec("pgrep", "-f", "sleep 86399").exitCode()).as("the health command was killed").isNotZero();
    }
}
