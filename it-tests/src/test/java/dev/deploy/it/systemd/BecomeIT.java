package dev.deploy.it.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.become.Become;
import dev.deploy.host.become.BecomeConnection;
import dev.deploy.host.become.BecomePasswords;
import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import dev.deploy.it.hosts.DebianTestHost;
import dev.deploy.it.hosts.ExecResult;
import dev.deploy.it.hosts.TestHostImage;
import dev.deploy.it.local.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11.3: a non-root login user deploys systemd services through {@code become: sudo}, on real Debian hosts
 * (users created inside the containers by the test): passwordless sudo end to end (apply, health, rollback), a sudo
 * password from {@code becomePasswordCommand} on two hosts in parallel that never shows in {@code ps}, files or
 * logs, and a user without sudo rights getting a one-line error that names host, step and what to configure.
 */
class BecomeIT {

    private static final String PASSWORD = "Pw-4f1d9c-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dir;
    private static DebianTestHost first;
    private static DebianTestHost second;

    @BeforeAll
    static void startHosts() throws Exception {
        first = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
        second = DebianTestHost.start(TestHostImage.BOOKWORM_NORSYNC);
        for (DebianTestHost host : List.of(first, second)) {
            run(host, "useradd -m -s /bin/bash deployer && useradd -m -s /bin/bash pwuser"
                    + " && useradd -m -s /bin/bash norights && useradd -m -s /bin/bash cached"
                    + " && printf '%s\\n' 'deployer:x-unused-1' 'norights:x-unused-2' | chpasswd"
                    + " && printf 'pwuser:%s\\n' \"$1\" | chpasswd && printf 'cached:%s\\n' \"$1\" | chpasswd"
                    // cached: needs a password, and sudo keeps one timestamp for all of its sessions
                    + " && printf '%s\\n' 'cached ALL=(root) ALL' 'Defaults:cached timestamp_type=global'"
                    + " > /etc/sudoers.d/cached && chmod 0440 /etc/sudoers.d/cached"
                    + " && echo 'deployer ALL=(root) NOPASSWD: ALL' > /etc/sudoers.d/deployer"
                    + " && echo 'pwuser ALL=(root) ALL' > /etc/sudoers.d/pwuser"
                    + " && chmod 0440 /etc/sudoers.d/deployer /etc/sudoers.d/pwuser"
                    // sshd reads authorized_keys as the user; /testhost is root's alone, so each gets its own copy
                    + " && for u in deployer pwuser norights cached; do install -d -o $u -g $u -m 700 /home/$u/.ssh"
                    + " && install -o $u -g $u -m 600 /testhost/authorized_keys /home/$u/.ssh/authorized_keys; done",
                    PASSWORD);
        }
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "version one\n");
        for (String name : List.of("site", "pwsite")) {
            Files.writeString(dir.resolve(name + ".yaml"), """
                    module: NAME
                    options:
                      content: {type: source}
                      port: {type: int}
                    services:
                      NAME:
                        exec: /usr/bin/python3 -m http.server ${port} --bind 127.0.0.1 --directory ${content}
                        user: nobody
                        healthCheck: {http: "http://127.0.0.1:${port}/", timeout: 20s}
                    """.replace("NAME", name));
        }
    }

    @AfterAll
    static void stopHosts() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    private static void run(DebianTestHost host, String script, String... args) {
        String[] command = new String[4 + args.length];
        command[0] = "sh";
        command[1] = "-c";
        command[2] = script;
        command[3] = "setup";
        System.arraycopy(args, 0, command, 4, args.length);
        ExecResult result = host.exec(command);
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    }

    /** The host's inventory entry with {@code user} instead of root. */
    private static String entry(DebianTestHost host, String name, String user, String... fields) {
        return host.inventoryEntry(name, fields).replace("user: root", "user: " + user);
    }

    private static String served(DebianTestHost host, int port) {
        ExecResult result = host.exec("python3", "-c", "import urllib.request; print(urllib.request.urlopen("
                + "'http://127.0.0.1:" + port + "/').read().decode(), end='')");
        return result.exitCode() == 0 ? result.stdout() : "(no answer: " + result.stderr().strip() + ")";
    }

    @Test
    void aNonRootUserWithPasswordlessSudoDeploysChecksAndRollsBackAService() throws Exception {
        Path inventory = Files.writeString(dir.resolve("passwordless.yaml"), "defaults: {become: sudo}\nhosts:\n"
                + entry(first, "deb1", "deployer", "modules: [site]",
                "options: {site.content: \"path:www\", site.port: 8080}"));
        Path www = dir.resolve("www/index.html");
        Files.writeString(www, "version one\n");

        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
        assertThat(apply.stderr()).contains("deb1: health: service site.service is healthy");
        assertThat(served(first, 8080)).isEqualTo("version one\n");
        ExecResult owners = first.exec("stat", "-c", "%U %a %n", "/var/lib/deploy", "/var/lib/deploy/store",
                "/var/lib/deploy/lock", "/etc/systemd/system/site.service");
        assertThat(owners.stdout().lines()).as(owners.stdout()).allMatch(line -> line.startsWith("root "));

        Files.writeString(www, "version two\n");
        assertThat(CliRun.against(inventory, "apply").exitCode()).isZero();
        assertThat(served(first, 8080)).isEqualTo("version two\n");

        CliRun rollback = CliRun.against(inventory, "rollback");
        assertThat(rollback.exitCode()).as(rollback.stderr()).isZero();
        assertThat(served(first, 8080)).isEqualTo("version one\n");

        Files.writeString(dir.resolve("site.yaml"), Files.readString(dir.resolve("site.yaml"))
                .replace("-m http.server", "-m no_such_module"));
        try {
            CliRun broken = CliRun.against(inventory, "apply");
            assertThat(broken.exitCode()).isEqualTo(1);
            assertThat(broken.stderr()).contains("deb1: health check: service site.service", "rolled back to generation 1");
            assertThat(served(first, 8080)).as("rolled back automatically").isEqualTo("version one\n");
        } finally {
            Files.writeString(dir.resolve("site.yaml"), Files.readString(dir.resolve("site.yaml"))
                    .replace("-m no_such_module", "-m http.server"));
        }
    }

    @Test
    void aSudoPasswordFromThePasswordCommandIsAskedOnceSharedByParallelHostsAndNeverShown() throws Exception {
        Path secret = Files.writeString(dir.resolve("sudo-password"), PASSWORD + "\n");
        Path asked = dir.resolve("asked");
        String command = "echo asked >> " + asked + "; cat " + secret;
        Path inventory = Files.writeString(dir.resolve("password.yaml"), """
                defaults:
                  become: sudo
                  becomePasswordCommand: "%s"
                  stateDir: /var/lib/deploy-pw
                  modules: [pwsite]
                  options: {pwsite.content: "path:www", pwsite.port: 8090}
                hosts:
                """.formatted(command) + entry(first, "deb1", "pwuser") + entry(second, "deb2", "pwuser"));

        ConcurrentLinkedQueue<String> processes = new ConcurrentLinkedQueue<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                for (DebianTestHost host : List.of(first, second)) {
                    processes.add(host.exec("ps", "-eo", "args").stdout());
                }
            }
        }, "ps-sampler");
        sampler.start();
        CliRun apply;
        try {
            apply = CliRun.against(inventory, "apply", "--parallel", "2");
        } finally {
            sampling.set(false);
            sampler.join();
        }

        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isZero();
        assertThat(served(first, 8090)).isEqualTo(Files.readString(dir.resolve("www/index.html")));
        assertThat(served(second, 8090)).isEqualTo(Files.readString(dir.resolve("www/index.html")));
        assertThat(Files.readAllLines(asked)).as("the password command ran once for both hosts").hasSize(1);
        assertThat(String.join("\n", processes)).as("ps saw deploy's sudo at work").contains("sudo -k -S");
        assertThat(processes).allSatisfy(ps -> assertThat(ps).doesNotContain(PASSWORD));
        assertThat(apply.stdout() + apply.stderr()).doesNotContain(PASSWORD);
        for (DebianTestHost host : List.of(first, second)) {
            ExecResult grep = host.exec("sh", "-c", "grep -rlF -- \"$1\" /var/lib/deploy-pw /etc/systemd/system"
                    + " /var/log /tmp /home/pwuser; journalctl --no-pager -o cat | grep -cF -- \"$1\"", "grep",
                    PASSWORD);
            assertThat(grep.stdout().strip()).as("files and journal holding the password on " + host.name())
                    .isEqualTo("0");
            assertThat(host.exec("stat", "-c", "%U", "/var/lib/deploy-pw/lock").stdout().strip()).isEqualTo("root");
        }
    }

    @Test
    void thePasswordLineNeverReachesTheScriptsOwnStdin() throws Exception {
        SshSettings settings = SshSettings.of("deb1", first.sshHost(), first.sshPort(), "pwuser")
                .withIdentityFile(first.privateKey())
                .withKnownHostsFile(first.knownHostsFile())
                .withPassphrases(PassphraseSource.none())
                .withAgentSocket(Optional.empty());
        BecomePasswords passwords = new BecomePasswords(Map.of(Become.PASSWORD_VARIABLE, PASSWORD), () -> null);
        try (BecomeConnection root = BecomeConnection.open(SshConnection.open(settings), Become.of(Become.Method.SUDO),
                passwords, "pwuser")) {
            assertThat(root.usesPassword()).isTrue();
            CommandResult result = root.run("id -u; cat", out -> out.write("the script's input\n"
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(result.stdoutText()).isEqualTo("0\nthe script's input\n");
        }
    }

    @Test
    void credentialsSudoCachedFromAnEarlierPasswordNeverMakeDeployPasswordless() throws Exception {
        // The user ran sudo with its password a moment ago (timestamp_type=global: valid for every session).
        run(first, "printf '%s\\n' \"$1\" | su cached -c \"sudo -S -p '' true\"", PASSWORD);
        ExecResult cached = first.exec("su", "cached", "-c", "sudo -n true");
        assertThat(cached.exitCode()).as("sudo -n succeeds from the cache: " + cached.stderr()).isZero();
        SshSettings settings = SshSettings.of("deb1", first.sshHost(), first.sshPort(), "cached")
                .withIdentityFile(first.privateKey())
                .withKnownHostsFile(first.knownHostsFile())
                .withPassphrases(PassphraseSource.none())
                .withAgentSocket(Optional.empty());
        BecomePasswords none = new BecomePasswords(Map.of(), () -> null);

        try (SshConnection ssh = SshConnection.open(settings)) {
            // Passwordless would hold only until the timestamp expires: a later step of the run would fail.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BecomeConnection.open(ssh,
                            Become.of(Become.Method.SUDO), none, "cached"))
                    .isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("deb1: become: cached needs a password for sudo");
        }
        BecomePasswords withPassword = new BecomePasswords(Map.of(Become.PASSWORD_VARIABLE, PASSWORD), () -> null);
        try (BecomeConnection root = BecomeConnection.open(SshConnection.open(settings),
                Become.of(Become.Method.SUDO), withPassword, "cached")) {
            assertThat(root.usesPassword()).isTrue();
            assertThat(root.run("id -u", out -> { }).stdoutText()).isEqualTo("0\n");
        }
    }

    @Test
    void aUserWithoutSudoRightsGetsOneLineNamingHostStepAndWhatToConfigure() throws Exception {
        Path inventory = Files.writeString(dir.resolve("norights.yaml"), """
                defaults: {become: sudo, stateDir: /var/lib/deploy-norights, modules: [site]}
                hosts:
                """ + entry(first, "deb1", "norights", "options: {site.content: \"path:www\", site.port: 8070}"));

        CliRun apply = CliRun.against(inventory, "apply");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.stderr()).contains("deploy: error: deb1: become: norights needs a password for sudo"
                + " (sudo -n: sudo: a password is required)");
        assertThat(apply.stderr()).contains("NOPASSWD");
        assertThat(apply.stderr().lines().filter(l -> l.contains("deb1: become")).count()).isEqualTo(1);
        assertThat(first.exec("test", "-e", "/var/lib/deploy-norights").exitCode()).as("nothing was created")
                .isNotZero();

        BecomePasswords wrong = new BecomePasswords(Map.of(Become.PASSWORD_VARIABLE, "x-unused-2"), () -> null);
        SshSettings settings = SshSettings.of("deb1", first.sshHost(), first.sshPort(), "norights")
                .withIdentityFile(first.privateKey())
                .withKnownHostsFile(first.knownHostsFile())
                .withPassphrases(PassphraseSource.none())
                .withAgentSocket(Optional.empty());
        try (SshConnection ssh = SshConnection.open(settings)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BecomeConnection.open(ssh,
                            Become.of(Become.Method.SUDO), wrong, "norights"))
                    .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.kind())
                            .isEqualTo(DeployException.Kind.HOST))
                    .hasMessageStartingWith("deb1: become: sudo refused norights with the become password")
                    .hasMessageContaining("sudoers");
        }
    }

    @Test
    void sudoersThatRequireATerminalGetOneLineSayingSoNotAPasswordRequest() throws Exception {
        // Before, requiretty's refusal was taken for "needs a password": the user was told to set a password (or
        // asked for one), which could never work.
        run(first, "id ttyuser >/dev/null 2>&1 || { useradd -m -s /bin/bash ttyuser"
                + " && printf '%s\\n' 'ttyuser ALL=(root) NOPASSWD: ALL' 'Defaults:ttyuser requiretty'"
                + " > /etc/sudoers.d/ttyuser && chmod 0440 /etc/sudoers.d/ttyuser"
                + " && install -d -o ttyuser -g ttyuser -m 700 /home/ttyuser/.ssh"
                + " && install -o ttyuser -g ttyuser -m 600 /testhost/authorized_keys /home/ttyuser/.ssh/; }");
        Path inventory = Files.writeString(dir.resolve("requiretty.yaml"), """
                defaults: {become: sudo, stateDir: /var/lib/deploy-requiretty, modules: [site]}
                hosts:
                """ + entry(first, "deb1", "ttyuser", "options: {site.content: \"path:www\", site.port: 8071}"));

        CliRun apply = CliRun.against(inventory, "apply");

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.stderr()).contains("deploy: error: deb1: become: sudoers require a terminal for ttyuser"
                + " (sudo: sorry, you must have a tty to run sudo); deploy runs sudo without one: add"
                + " 'Defaults:ttyuser !requiretty' to sudoers");
        assertThat(apply.stderr()).doesNotContain("password");
        assertThat(first.exec("test", "-e", "/var/lib/deploy-requiretty").exitCode()).as("nothing was created")
                .isNotZero();
    }
}
