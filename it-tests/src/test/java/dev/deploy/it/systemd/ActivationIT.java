package dev.deploy.it.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.OpenSshClient;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import dev.deploy.it.local.ControllerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activation state machine on real Debian bookworm hosts (systemd, OpenSSH), through the real CLI over SSH:
 * all-or-nothing activation, magic rollback (a connection cut, a killed controller, a generation that stops sshd),
 * fast failure of a failed unit, units deploy did not create, modes under an SSH session's umask, and a state
 * directory owned by someone else. The only fakes: a {@code systemctl} wrapper that makes one daemon-reload fail
 * (named in its test), and the bridge in front of sshd that cuts connections as a network would.
 */
class ActivationIT {

    private static final Duration HOST_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private DebianTestHost host;
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        host = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "version one\n");
        module("""
                    exec: /usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory ${content}
                    healthCheck:
                      command: test ! -e /tmp/unhealthy
                      timeout: 120s
                """);
        inventory("confirmTimeout: 10s");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** The module {@code site}: a source option {@code content} and one service {@code site} with these fields. */
    private void module(String serviceFields) throws Exception {
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                files:
                  breaker:
                    name: breaker.sh
                    text: |
                      systemctl stop testhost-ssh.socket
                      trap 'systemctl --no-block start testhost-ssh.socket; exit 0' TERM
                      while :; do sleep 1; done
                services:
                  site:
                """ + serviceFields.indent(2));
    }

    private void inventory(String... fields) throws Exception {
        String[] all = new String[fields.length + 2];
        all[0] = "modules: [site]";
        all[1] = "options: {site.content: \"path:www\"}";
        System.arraycopy(fields, 0, all, 2, fields.length);
        inventory = Files.writeString(dir.resolve("inventory.yaml"), "hosts:\n" + host.inventoryEntry("deb1", all));
    }

    private CliRun deploy(String... args) {
        return CliRun.against(inventory, args);
    }

    private String sh(String command) {
        return host.exec("sh", "-c", command).stdout().strip();
    }

    private String current() {
        return sh("readlink /var/lib/deploy/current");
    }

    /**
     * What the site serves. A service that was just (re)started may not listen yet (systemd calls a simple service
     * active once it is forked): a refused connection is tried again, up to {@link #HOST_LIMIT}.
     */
    private String served() throws InterruptedException {
        long limit = System.nanoTime() + HOST_LIMIT.toNanos();
        while (true) {
            ExecResult result = host.exec("python3", "-c", "import urllib.request;"
                    + " print(urllib.request.urlopen('http://127.0.0.1:8080/').read().decode(), end='')");
            if (result.exitCode() == 0 || !result.stderr().contains("Connection refused")
                    || System.nanoTime() > limit) {
                assertThat(result.exitCode()).as(result.stderr()).isZero();
                return result.stdout();
            }
            Thread.sleep(250);
        }
    }

    /** Polls the host (docker exec, not SSH) until {@code condition} holds; fails after {@link #HOST_LIMIT}. */
    private void awaitHost(String what, Supplier<Boolean> condition) throws InterruptedException {
        long limit = System.nanoTime() + HOST_LIMIT.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(limit);
            Thread.sleep(250);
        }
    }

    private void applyFirstGenerationThenBreakHealth() throws Exception {
        CliRun first = deploy("apply");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        assertThat(current()).isEqualTo("generations/1");
        Files.writeString(dir.resolve("www/index.html"), "version two\n");
        sh("touch /tmp/unhealthy"); // generation 2's health check waits (up to 120 s) until this is gone
    }

    @Test
    void aStepFailingAfterTheSwitchRestoresThePreviousGenerationItsUnitsAndServices() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        String pid = sh("systemctl show -p MainPID --value site.service");
        // Fake, named: a systemctl wrapper (first on root's PATH) whose next daemon-reload fails once, as a busy or
        // broken systemd answers.
        sh("printf '%s\\n' '#!/bin/sh' 'if [ \"$1\" = daemon-reload ] && [ ! -e /run/reload-failed ]; then"
                + " touch /run/reload-failed; echo \"Failed to reload daemon: Connection timed out\" >&2; exit 1; fi'"
                + " 'exec /usr/bin/systemctl \"$@\"' > /usr/local/sbin/systemctl && chmod 755 /usr/local/sbin/systemctl");
        module("""
                    exec: /usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory ${content}
                    description: changed, so the unit file changes and a daemon-reload is needed
                """);
        Files.writeString(dir.resolve("www/index.html"), "version two\n");

        CliRun broken = deploy("apply");

        assertThat(broken.exitCode()).as(broken.stdout() + broken.stderr()).isEqualTo(1);
        assertThat(broken.stdout()).contains("FAILED, RESTORED");
        assertThat(broken.stderr()).contains("deb1: daemon-reload: systemctl daemon-reload: Failed to reload daemon",
                "restored generation 1");
        assertThat(current()).isEqualTo("generations/1");
        assertThat(sh("readlink /etc/systemd/system/site.service"))
                .isEqualTo("/var/lib/deploy/current/units/site.service");
        assertThat(sh("systemctl is-active site.service")).isEqualTo("active");
        assertThat(sh("systemctl show -p Description --value site.service")).doesNotContain("changed");
        assertThat(served()).isEqualTo("version one\n");
        assertThat(sh("systemctl show -p MainPID --value site.service")).as("restarted as generation 1")
                .isNotEqualTo(pid);
        CliRun generations = deploy("generations");
        assertThat(generations.stdout()).containsPattern("! +2 .*FAILED: .*daemon-reload");
        CliRun plan = deploy("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as("plan: generation 1 is live and 2 is wanted").isEqualTo(2);
        CliRun again = deploy("apply");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(current()).isEqualTo("generations/3");
    }

    @Test
    void aConnectionCutRightAfterTheSwitchIsRevertedByTheHostAndTheNextApplyWorks() throws Exception {
        applyFirstGenerationThenBreakHealth();
        CompletableFuture<CliRun> apply = CompletableFuture.supplyAsync(() -> deploy("apply"));
        awaitHost("the switch to generation 2", () -> current().equals("generations/2"));
        assertThat(sh("systemctl list-units --all --plain --no-legend 'deploy-watchdog-*'"))
                .as("the watchdog runs as a transient unit, outside the SSH session").contains("deploy-watchdog-2-");

        host.bridge().rejectNewConnections(true);
        host.bridge().dropAllConnections();
        CliRun cut = apply.get(HOST_LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(cut.exitCode()).as(cut.stdout() + cut.stderr()).isEqualTo(1);
        assertThat(cut.stdout()).contains("REVERTED");
        // Cut during the rest of activate.sh or during the health checks, whichever was running.
        assertThat(cut.stderr()).containsPattern("connection lost during (activate|health check)")
                .contains("its watchdog returns it to generation 1 within 10s");

        awaitHost("the host's own revert", () -> sh("cat /var/lib/deploy/watchdog/state").startsWith("reverted "));
        assertThat(current()).isEqualTo("generations/1");
        assertThat(served()).isEqualTo("version one\n");
        assertThat(sh("cat /var/lib/deploy/generations/2/failed")).contains("not confirmed by the controller in time");

        host.bridge().rejectNewConnections(false);
        sh("rm /tmp/unhealthy");
        CliRun next = deploy("apply");
        assertThat(next.exitCode()).as(next.stdout() + next.stderr()).isZero();
        assertThat(current()).isEqualTo("generations/3");
        assertThat(served()).isEqualTo("version two\n");
    }

    @Test
    void aKilledControllerIsRevertedByTheHost() throws Exception {
        applyFirstGenerationThenBreakHealth();
        Path log = dir.resolve("controller.log");
        Process controller = ControllerProcess.start("", log, "apply", "--no-color", inventory.toString());
        awaitHost("the switch to generation 2", () -> current().equals("generations/2"));

        controller.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the host
        assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(controller.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        awaitHost("the host's own revert", () -> sh("cat /var/lib/deploy/watchdog/state").startsWith("reverted "));
        assertThat(current()).isEqualTo("generations/1");
        assertThat(served()).isEqualTo("version one\n");
        sh("rm /tmp/unhealthy");
        CliRun next = deploy("apply");
        assertThat(next.exitCode()).as(next.stdout() + next.stderr()).isZero();
        assertThat(served()).isEqualTo("version two\n");
    }

    @Test
    void aControllerStoppedByCtrlCAfterTheSwitchSaysSoAndTheHostReverts() throws Exception {
        applyFirstGenerationThenBreakHealth();
        Path log = dir.resolve("controller.log");
        Process controller = ControllerProcess.start("", log, "apply", "--no-color", inventory.toString());
        awaitHost("the switch to generation 2", () -> current().equals("generations/2"));

        // SIGINT, what ctrl-C sends: the JVM runs its shutdown hook, then exits; nothing tells the host.
        new ProcessBuilder("kill", "-INT", Long.toString(controller.pid())).inheritIO().start().waitFor();
        assertThat(controller.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(controller.exitValue()).as(Files.readString(log)).isEqualTo(130);
        assertThat(Files.readString(log)).contains("deploy: interrupted; each host stopped where it was")
                .doesNotContain("Exception");

        awaitHost("the host's own revert", () -> sh("cat /var/lib/deploy/watchdog/state").startsWith("reverted "));
        assertThat(current()).isEqualTo("generations/1");
        assertThat(served()).isEqualTo("version one\n");
        CliRun generations = deploy("generations");
        assertThat(generations.stdout()).containsPattern("! +2 .*FAILED: .*not confirmed");
    }

    @Test
    void aHostRebootedWhileItsActivationAwaitsConfirmationRevertsWhenItComesBack() throws Exception {
        applyFirstGenerationThenBreakHealth();
        Path log = dir.resolve("controller.log");
        Process controller = ControllerProcess.start("", log, "apply", "--no-color", inventory.toString());
        awaitHost("the switch to generation 2", () -> current().equals("generations/2"));
        controller.destroyForcibly(); // the controller gone too: only the host itself can revert
        assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();

        host.reboot(); // the transient watchdog unit is gone with the old boot
        sh("rm -f /tmp/unhealthy");

        awaitHost("the host's own revert after the reboot",
                () -> sh("cat /var/lib/deploy/watchdog/state").startsWith("reverted "));
        assertThat(current()).isEqualTo("generations/1");
        assertThat(sh("cat /var/lib/deploy/generations/2/failed")).contains("not confirmed by the controller in time");
        awaitHost("generation 1's service", () -> sh("systemctl is-active site.service").equals("active"));
        assertThat(served()).isEqualTo("version one\n");
        CliRun next = deploy("apply");
        assertThat(next.exitCode()).as(next.stdout() + next.stderr()).isZero();
        assertThat(current()).isEqualTo("generations/3");
        assertThat(served()).isEqualTo("version two\n");
    }

    @Test
    void aHealthCommandSlowerThanTheConfirmTimeoutIsWaitedForNotRevertedByTheWatchdog() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        module("""
                    exec: /usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory ${content}
                    healthCheck:
                      command: sleep 15
                      timeout: 120s
                """);
        Files.writeString(dir.resolve("www/index.html"), "version two\n");

        CliRun slow = deploy("apply"); // the command runs 15 s, longer than confirmTimeout (10 s)

        assertThat(slow.exitCode()).as(slow.stdout() + slow.stderr()).isZero();
        assertThat(slow.stderr()).contains("confirmed generation 2");
        assertThat(current()).isEqualTo("generations/2");
        assertThat(sh("cat /var/lib/deploy/watchdog/state")).startsWith("confirmed ");
        assertThat(served()).isEqualTo("version two\n");
    }

    @Test
    void aRollbackWhileAnUnconfirmedActivationIsPendingReturnsToTheGenerationBeforeItNotFurther() throws Exception {
        inventory("confirmTimeout: 300s"); // the rollback runs while the watchdog still waits
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(dir.resolve("www/index.html"), "version two\n");
        assertThat(deploy("apply").exitCode()).isZero();
        Files.writeString(dir.resolve("www/index.html"), "version three\n");
        sh("touch /tmp/unhealthy");
        Process controller = ControllerProcess.start("", dir.resolve("controller.log"), "apply", "--no-color",
                inventory.toString());
        awaitHost("the switch to generation 3", () -> current().equals("generations/3"));
        controller.destroyForcibly(); // generation 3 is live, armed, and nobody will confirm it
        assertThat(controller.waitFor(30, TimeUnit.SECONDS)).isTrue();

        CliRun rollback = deploy("rollback"); // before the watchdog's deadline

        assertThat(rollback.exitCode()).as(rollback.stdout() + rollback.stderr()).isZero();
        assertThat(rollback.stdout()).contains("deb1: generation 3 -> 2");
        assertThat(current()).as("generation 2 was confirmed; only 3 is undone").isEqualTo("generations/2");
        sh("rm /tmp/unhealthy");
        assertThat(served()).isEqualTo("version two\n");
    }

    @Test
    void aGenerationThatStopsSshdFromAcceptingIsRevertedByTheHost() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        module("""
                    exec: /bin/sh ${files.breaker}
                """);

        CliRun broken = deploy("apply");

        assertThat(broken.exitCode()).as(broken.stdout() + broken.stderr()).isEqualTo(1);
        assertThat(broken.stdout()).contains("REVERTED");
        awaitHost("the revert", () -> sh("cat /var/lib/deploy/watchdog/state").startsWith("reverted "));
        assertThat(current()).isEqualTo("generations/1");
        // The breaker's own TERM trap restarts the socket it stopped (a side effect on a unit deploy does not
        // manage, which no revert can know of); if it has not, the test restores it so SSH can be checked again.
        long limit = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!sh("systemctl is-active testhost-ssh.socket").equals("active") && System.nanoTime() < limit) {
            Thread.sleep(250);
        }
        sh("systemctl start testhost-ssh.socket");
        assertThat(sh("systemctl is-active site.service")).isEqualTo("active");
        assertThat(sh("pgrep -f 'breake[r].sh' || echo none")).as("the breaking service was stopped").isEqualTo("none");
        CliRun generations = deploy("generations");
        assertThat(generations.exitCode()).as("SSH works again: " + generations.stderr()).isZero();
        assertThat(generations.stdout()).containsPattern("! +2 .*FAILED: .*not confirmed");
        assertThat(served()).isEqualTo("version one\n");
    }

    @Test
    void aUnitThatFailedFailsItsHealthCheckAtOnce() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        module("""
                    exec: /bin/false
                    restart: "no"
                    healthCheck: {timeout: 120s}
                """);

        CliRun broken = deploy("apply", "--json");

        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stdout()).contains("\"result\" : \"rolled-back\"")
                .containsPattern("service site.service failed \\(gave up after [12] checks?: unit: failed")
                .doesNotContain("after 120s");
        assertThat(current()).isEqualTo("generations/1");
        assertThat(served()).isEqualTo("version one\n");
    }

    @Test
    void aUnitThatExitedCleanlyFailsItsHealthCheckAtOnce() throws Exception {
        assertThat(deploy("apply").exitCode()).isZero();
        // Restart=on-failure (the default) does not restart a clean exit: the unit stays inactive, as "failed" stays.
        module("""
                    exec: /bin/true
                    healthCheck: {timeout: 120s}
                """);

        CliRun broken = deploy("apply", "--json");

        assertThat(broken.exitCode()).as(broken.stdout() + broken.stderr()).isEqualTo(1);
        assertThat(broken.stdout()).contains("\"result\" : \"rolled-back\"")
                .containsPattern("service site.service failed \\(gave up after [12] checks?: unit: inactive")
                .doesNotContain("after 120s");
        assertThat(current()).isEqualTo("generations/1");
        assertThat(served()).isEqualTo("version one\n");
    }

    @Test
    void aFirstGenerationThatFailsItsHealthCheckIsRolledBackToNoGenerationNotReportedAsNotRestored()
            throws Exception {
        module("""
                    exec: /bin/false
                    restart: "no"
                    healthCheck: {timeout: 120s}
                """);

        CliRun broken = deploy("apply", "--json");

        assertThat(broken.exitCode()).as(broken.stdout() + broken.stderr()).isEqualTo(1);
        assertThat(broken.stdout()).contains("\"result\" : \"rolled-back\"").doesNotContain("not-restored");
        assertThat(sh("test -e /var/lib/deploy/current || test -L /var/lib/deploy/current && echo live || echo none"))
                .as("the host is as it was: no generation").isEqualTo("none");
        assertThat(sh("test -e /etc/systemd/system/site.service || test -L /etc/systemd/system/site.service"
                + " && echo linked || echo gone")).isEqualTo("gone");
        CliRun table = deploy("apply");
        assertThat(table.stdout()).contains("ROLLED BACK").doesNotContain("NOT RESTORED");
        assertThat(table.stderr()).contains("no generation");
    }

    @Test
    void aUnitDeployDidNotCreateIsNeverReplacedUnlessTakenOverAndIsPutBackAfterwards() throws Exception {
        String admin = "[Service]\nExecStart=/bin/sleep 1000\n";
        sh("printf '" + admin.replace("\n", "\\n") + "' > /etc/systemd/system/site.service");

        CliRun clash = deploy("plan");
        assertThat(clash.exitCode()).isEqualTo(3);
        assertThat(clash.stderr()).contains("deb1: service site: /etc/systemd/system/site.service exists and was not"
                + " made by deploy", "takeOver: [site]");
        CliRun apply = deploy("apply");
        assertThat(apply.exitCode()).isEqualTo(3);
        assertThat(sh("cat /etc/systemd/system/site.service")).isEqualTo(admin.strip());
        assertThat(sh("test -L /etc/systemd/system/site.service && echo link || echo file")).isEqualTo("file");
        assertThat(sh("ls /var/lib/deploy/generations 2>/dev/null")).isEmpty();

        inventory("takeOver: [site]");
        CliRun takeOver = deploy("apply");
        assertThat(takeOver.exitCode()).as(takeOver.stderr()).isZero();
        assertThat(sh("readlink /etc/systemd/system/site.service"))
                .isEqualTo("/var/lib/deploy/current/units/site.service");
        assertThat(sh("cat /var/lib/deploy/taken-over/site.service")).isEqualTo(admin.strip());

        Files.writeString(inventory, Files.readString(inventory).replace("modules: [site]", "modules: []")
                .replace("    options: {site.content: \"path:www\"}\n", "").replace("    takeOver: [site]\n", ""));
        CliRun removed = deploy("apply");
        assertThat(removed.exitCode()).as(removed.stdout() + removed.stderr()).isZero();
        assertThat(sh("test -L /etc/systemd/system/site.service && echo link || echo file")).isEqualTo("file");
        assertThat(sh("cat /etc/systemd/system/site.service")).as("the admin's unit is back").isEqualTo(admin.strip());
    }

    @Test
    void aFailedGenerationThatDroppedATakenOverUnitGivesTheUnitBackToThePreviousGeneration() throws Exception {
        String admin = "[Service]\nExecStart=/bin/sleep 1000\n";
        sh("printf '" + admin.replace("\n", "\\n") + "' > /etc/systemd/system/site.service");
        inventory("confirmTimeout: 10s", "takeOver: [site]");
        CliRun first = deploy("apply");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        // Generation 2 drops site (so the activation puts the admin's unit back) and adds site2, which fails.
        Files.writeString(dir.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                services:
                  site2:
                    exec: /bin/false
                    restart: "no"
                """);
        inventory("confirmTimeout: 10s");

        CliRun broken = deploy("apply");

        assertThat(broken.exitCode()).as(broken.stdout() + broken.stderr()).isEqualTo(1);
        assertThat(broken.stdout()).contains("ROLLED BACK");
        assertThat(current()).isEqualTo("generations/1");
        assertThat(sh("readlink /etc/systemd/system/site.service")).as("generation 1's unit, not the admin's")
                .isEqualTo("/var/lib/deploy/current/units/site.service");
        assertThat(sh("readlink /etc/systemd/system/multi-user.target.wants/site.service"))
                .isEqualTo("/etc/systemd/system/site.service");
        assertThat(sh("cat /var/lib/deploy/taken-over/site.service")).as("the admin's unit kept aside again")
                .isEqualTo(admin.strip());
        assertThat(sh("test -e /etc/systemd/system/site2.service && echo left || echo gone")).isEqualTo("gone");
        assertThat(served()).isEqualTo("version one\n");
    }

    @Test
    void aUnitMadeByAGeneratorOrAnAdminsDropInIsSomeoneElsesToo() throws Exception {
        // A SysV init script: systemd-sysv-generator makes /run/systemd/generator.late/site.service from it.
        sh("printf '#!/bin/sh\\n### BEGIN INIT INFO\\n# Provides: site\\n# Required-Start:\\n# Required-Stop:\\n"
                + "# Default-Start: 2 3 4 5\\n# Default-Stop:\\n### END INIT INFO\\nexit 0\\n' > /etc/init.d/site"
                + " && chmod 755 /etc/init.d/site && systemctl daemon-reload");
        assertThat(sh("test -e /run/systemd/generator.late/site.service && echo generated")).isEqualTo("generated");

        CliRun generated = deploy("plan");
        assertThat(generated.exitCode()).as(generated.stdout() + generated.stderr()).isEqualTo(3);
        assertThat(generated.stderr()).contains("deb1: service site: /run/systemd/generator.late/site.service exists"
                + " and was not made by deploy");
        assertThat(deploy("apply").exitCode()).isEqualTo(3);
        assertThat(sh("ls -A /etc/systemd/system | grep -c '^site' || true")).isEqualTo("0");
        assertThat(sh("ls /var/lib/deploy/generations 2>/dev/null")).isEmpty();

        sh("rm /etc/init.d/site && systemctl daemon-reload && mkdir /etc/systemd/system/site.service.d"
                + " && printf '[Service]\\nUser=root\\n' > /etc/systemd/system/site.service.d/admin.conf");
        CliRun dropIn = deploy("apply");
        assertThat(dropIn.exitCode()).as(dropIn.stdout() + dropIn.stderr()).isEqualTo(3);
        assertThat(dropIn.stderr()).contains("deb1: service site: /etc/systemd/system/site.service.d (a drop-in"
                + " directory) exists and was not made by deploy");
        assertThat(sh("test -e /etc/systemd/system/site.service || echo absent")).isEqualTo("absent");

        inventory("takeOver: [site]");
        CliRun takeOver = deploy("apply");
        assertThat(takeOver.exitCode()).as(takeOver.stdout() + takeOver.stderr()).isZero();
        assertThat(sh("cat /etc/systemd/system/site.service.d/admin.conf")).as("the admin's drop-in is left alone")
                .isEqualTo("[Service]\nUser=root");
    }

    @Test
    void anSshSessionWithUmask077StillGivesTheServiceUserReadableFiles() throws Exception {
        sh("echo 'session optional pam_umask.so umask=0077' >> /etc/pam.d/sshd");
        assertThat(new OpenSshClient(host).run("sh", "-c", "umask").stdout().strip())
                .as("the SSH session's umask").isEqualTo("0077");

        CliRun apply = deploy("apply");

        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(sh("stat -c '%a %n' /var/lib/deploy /var/lib/deploy/store /var/lib/deploy/generations"
                + " /var/lib/deploy/generations/1 /var/lib/deploy/generations/1/manifest.json /var/lib/deploy/lock"))
                .isEqualTo(String.join("\n", "755 /var/lib/deploy", "755 /var/lib/deploy/store",
                        "755 /var/lib/deploy/generations", "755 /var/lib/deploy/generations/1",
                        "644 /var/lib/deploy/generations/1/manifest.json", "644 /var/lib/deploy/lock"));
        assertThat(sh("stat -c %a $(readlink -f /var/lib/deploy/current/roots/source/site.content)")).isEqualTo("555");
        assertThat(sh("runuser -u nobody -- cat /var/lib/deploy/current/roots/source/site.content/index.html"))
                .isEqualTo("version one");
    }

    @Test
    void aStateDirectoryOwnedByAnotherUserIsRefusedAndItsPlantedLinkNotFollowed() throws Exception {
        sh("useradd -m mallory && install -d -o mallory -m 0755 /srv/state"
                + " && echo precious > /etc/victim && runuser -u mallory -- ln -s /etc/victim /srv/state/lock.owner");
        inventory("stateDir: /srv/state");

        CliRun apply = deploy("apply");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.stderr()).containsPattern("deb1: state directory: /srv/state belongs to uid [0-9]+,"
                + " not to root: refusing to use it");
        assertThat(sh("cat /etc/victim")).isEqualTo("precious");
        assertThat(sh("ls /srv/state")).isEqualTo("lock.owner");

        inventory("stateDir: /home/mallory/deploy");
        CliRun below = deploy("apply");
        assertThat(below.exitCode()).isEqualTo(1);
        assertThat(below.stderr()).containsPattern("deb1: state directory: /home/mallory belongs to uid [0-9]+, not"
                + " to root: refusing to use it as or above a state directory");
    }

    @Test
    void aUserWithoutRightsOnTheUnitDirectoryFailsBeforeTheSwitchAndPlanStillShowsTheChange() throws Exception {
        sh("useradd -m deployer && chmod 755 " + DebianTestHost.CONTAINER_DIR
                + " && chmod 644 " + DebianTestHost.CONTAINER_DIR + "/authorized_keys");
        inventory("stateDir: /home/deployer/state");
        Files.writeString(inventory, Files.readString(inventory).replace("user: root", "user: deployer"));

        CliRun apply = deploy("apply");

        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isEqualTo(1);
        assertThat(apply.stderr()).contains("deb1: activate: prepare: the unit directory /etc/systemd/system is not"
                + " writable by deployer");
        assertThat(sh("ls /home/deployer/state/generations")).as("no generation was left behind").isEmpty();
        assertThat(sh("test -e /home/deployer/state/current && echo yes || echo no")).isEqualTo("no");
        assertThat(sh("ls /etc/systemd/system | grep -c '^site' || true")).isEqualTo("0");
        CliRun plan = deploy("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.stdout() + plan.stderr()).isEqualTo(2);
    }

    @Test
    void aStateDirectoryTheUserCannotCreateReportsTheRealCause() throws Exception {
        sh("useradd -m deployer && chmod 755 " + DebianTestHost.CONTAINER_DIR
                + " && chmod 644 " + DebianTestHost.CONTAINER_DIR + "/authorized_keys");
        Files.writeString(inventory, Files.readString(inventory).replace("user: root", "user: deployer"));

        CliRun apply = deploy("apply");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.stderr()).contains("deb1: state directory: mkdir: cannot create directory",
                "/var/lib/deploy", "Permission denied").doesNotContain("flock");
    }
}
