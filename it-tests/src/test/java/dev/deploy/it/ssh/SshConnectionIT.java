package dev.deploy.it.ssh;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.LocalConnection;
import dev.deploy.host.Shell;
import dev.deploy.host.TransportStats;
import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SshConnection against a real OpenSSH server on 127.0.0.1. */
@Timeout(60)
class SshConnectionIT {

    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    static Path shared;
    private static Path clientKey;
    private static Path encryptedKey;
    private static OpenSshServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        clientKey = SshKeygen.generate(shared.resolve("id_ed25519"), "");
        encryptedKey = SshKeygen.generate(shared.resolve("id_encrypted"), PASSPHRASE);
        server = OpenSshServer.start(shared.resolve("sshd"), List.of(clientKey, encryptedKey));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void runsScriptAndReturnsStdoutStderrAndExitCode() throws Exception {
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            CommandResult result = ssh.run("read line; echo \"got $line\"; echo oops >&2; exit 3",
                    out -> out.write("hello\n".getBytes(StandardCharsets.UTF_8)));

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdoutText()).isEqualTo("got hello\n");
            assertThat(result.stderr()).isEqualTo("oops\n");
            assertThat(ssh.hostName()).isEqualTo("web1");
            assertThat(ssh.stats()).isEqualTo(new TransportStats(1, 6, 15));
        }
    }

    @Test
    void behavesLikeLocalConnection() throws Exception {
        List<String> scripts = List.of(
                "printf 'a\\0b'; printf 'e' >&2",
                "exit 0",
                "false",
                "cat; exit 42",
                "kill -KILL $$",
                "head -c 3; exit 5");
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)));
             LocalConnection local = new LocalConnection("local")) {
            for (String script : scripts) {
                HostConnection.StdinWriter stdin = out -> out.write("input\n".getBytes(StandardCharsets.UTF_8));
                CommandResult remote = ssh.run(script, stdin);
                CommandResult here = local.run(script, stdin);

                assertThat(remote.exitCode()).as(script).isEqualTo(here.exitCode());
                assertThat(remote.stdout()).as(script).isEqualTo(here.stdout());
                assertThat(remote.stderr()).as(script).isEqualTo(here.stderr());
            }
        }
    }

    @Test
    void streamsLargeStdinAndStdoutWithoutDeadlock() throws Exception {
        int size = 50 * 1024 * 1024;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            // stdout and stderr both carry everything while stdin is still being written.
            CommandResult result = ssh.run("tee /dev/stderr", out -> writeRandom(out, size, sent));

            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).hasSize(size);
            assertThat(MessageDigest.getInstance("SHA-256").digest(result.stdout())).isEqualTo(sent.digest());
            assertThat(result.stderr().length()).isPositive();
            assertThat(ssh.stats().bytesSent()).isEqualTo(size);
            assertThat(ssh.stats().bytesReceived()).isEqualTo(2L * size);
        }
    }

    @Test
    void stdoutAndStderrStreamingTogetherNeverOverrunTheLocalWindow() throws Exception {
        // sshj records a window grant after sending it; with its default window, data on stderr arriving in that
        // gap failed about one run in sixty here ("Window consumed to below 0"). See SshConnector's window size.
        int size = 16 * 1024 * 1024;
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            for (int i = 0; i < 8; i++) {
                MessageDigest ignored = MessageDigest.getInstance("SHA-256");
                CommandResult result = ssh.run("tee /dev/stderr", out -> writeRandom(out, size, ignored));
                assertThat(result.exitCode()).isZero();
                assertThat(result.stdout()).hasSize(size);
                assertThat(result.stderr().length()).isPositive();
            }
        }
    }

    @Test
    void scriptThatIgnoresItsStdinDoesNotHang() throws Exception {
        MessageDigest ignored = MessageDigest.getInstance("SHA-256");
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            CommandResult result = ssh.run("exit 7", out -> writeRandom(out, 20 * 1024 * 1024, ignored));

            assertThat(result.exitCode()).isEqualTo(7);
            assertThat(ssh.run("echo still usable").stdoutText()).isEqualTo("still usable\n");
        }
    }

    @Test
    void slowReaderGetsAllOfItsInput() throws Exception {
        MessageDigest ignored = MessageDigest.getInstance("SHA-256");
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            CommandResult result = ssh.run("sleep 1; wc -c", out -> writeRandom(out, 8 * 1024 * 1024, ignored));

            assertThat(result.stdoutText().strip()).isEqualTo(String.valueOf(8 * 1024 * 1024));
        }
    }

    @Test
    void reusesOneConnectionForManyCommands() throws Exception {
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            Set<String> clientEnds = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                // SSH_CONNECTION is "client-ip client-port server-ip server-port": one TCP connection, one value.
                clientEnds.add(ssh.run("echo \"$SSH_CONNECTION\"").stdoutText().strip());
            }

            assertThat(clientEnds).hasSize(1);
            assertThat(ssh.stats().roundTrips()).isEqualTo(10);
        }
    }

    @Test
    void unknownHostKeyIsRefusedWithFingerprint() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "");

        assertThatThrownBy(() -> SshConnection.open(settings(knownHosts)))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                .hasMessage("web1: connect: host key for [127.0.0.1]:" + server.port() + " is not known; check its"
                        + " fingerprint " + SshKeygen.fingerprint(server.publicHostKey())
                        + " and re-run with --accept-new-host-keys to record it");
        assertThat(Files.readString(knownHosts)).isEmpty();
    }

    @Test
    void unknownHostKeyIsRecordedWithAcceptNew() throws Exception {
        Path knownHosts = dir.resolve("home/.ssh/known_hosts");

        try (SshConnection ssh = SshConnection.open(settings(knownHosts).withAcceptNewHostKey(true))) {
            assertThat(ssh.run("echo hi").stdoutText()).isEqualTo("hi\n");
        }

        assertThat(SshKeygen.knows(knownHosts, "[127.0.0.1]:" + server.port())).isTrue();
        assertThat(Files.readString(knownHosts)).isEqualTo(server.knownHostsLine() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(knownHosts))).isEqualTo("rw-------");
        try (SshConnection again = SshConnection.open(settings(knownHosts))) {
            assertThat(again.run("true").ok()).isTrue();
        }
    }

    @Test
    void changedHostKeyIsAlwaysRefused() throws Exception {
        Path otherKey = SshKeygen.generate(dir.resolve("other_host_key"), "");
        String otherPublic = Files.readString(dir.resolve("other_host_key.pub")).strip();
        String[] typeAndKey = otherPublic.split("\\s+");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "# hosts\n[127.0.0.1]:" + server.port() + " " + typeAndKey[0] + " "
                + typeAndKey[1] + "\n");
        String before = Files.readString(knownHosts);

        assertThatThrownBy(() -> SshConnection.open(settings(knownHosts).withAcceptNewHostKey(true)))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                .hasMessage("web1: connect: host key for [127.0.0.1]:" + server.port() + " CHANGED (" + knownHosts
                        + " line 2 says " + SshKeygen.fingerprint(otherKey.resolveSibling("other_host_key.pub"))
                        + ", host offered " + SshKeygen.fingerprint(server.publicHostKey()) + "); if this is"
                        + " expected remove the old entry with ssh-keygen -R '[127.0.0.1]:" + server.port() + "' -f "
                        + knownHosts);
        assertThat(Files.readString(knownHosts)).isEqualTo(before);
    }

    @Test
    void hashedKnownHostsEntryIsAccepted() throws Exception {
        Path knownHosts = trustingKnownHosts(server);
        SshKeygen.hash(knownHosts);
        assertThat(Files.readString(knownHosts)).startsWith("|1|").doesNotContain("127.0.0.1");

        try (SshConnection ssh = SshConnection.open(settings(knownHosts))) {
            assertThat(ssh.run("echo hashed").stdoutText()).isEqualTo("hashed\n");
        }
    }

    @Test
    void quotingSurvivesHostileArguments() throws Exception {
        Path marker = dir.resolve("pwned");
        String hostile = "$(touch " + marker + ") `touch " + marker + "` ${HOME} 'single' \"double\" \\back\\slash"
                + "\nsecond line\n\n  two  spaces\tand tab; && || | > < * ? ~ ! # % é ✓ '\\'' end ";
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            CommandResult result = ssh.run(Shell.command("printf", "%s", hostile));

            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo(hostile.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void jumpHostReachesTargetThroughBastion() throws Exception {
        // The bastion logs at DEBUG1 so that the tunnel it opens to the target shows in its log.
        try (OpenSshServer bastionServer = OpenSshServer.start(dir.resolve("bastion-sshd"), List.of(clientKey),
                "DEBUG1");
             OpenSshServer target = OpenSshServer.start(dir.resolve("target-sshd"), List.of(clientKey))) {
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, bastionServer.knownHostsLine() + "\n" + target.knownHostsLine() + "\n");
            SshSettings bastion = SshSettings.of("bastion", OpenSshServer.ADDRESS, bastionServer.port(), user())
                    .withIdentityFile(clientKey)
                    .withKnownHostsFile(knownHosts)
                    .withPassphrases(PassphraseSource.none());
            SshSettings web1 = SshSettings.of("web1", OpenSshServer.ADDRESS, target.port(), user())
                    .withIdentityFile(clientKey)
                    .withKnownHostsFile(knownHosts)
                    .withPassphrases(PassphraseSource.none())
                    .withJumpHost(bastion);

            try (SshConnection ssh = SshConnection.open(web1)) {
                String serverPort = ssh.run("echo \"$SSH_CONNECTION\"").stdoutText().strip().split(" ")[3];
                assertThat(serverPort).isEqualTo(String.valueOf(target.port()));
            }
            assertThat(bastionServer.awaitLog("target " + OpenSshServer.ADDRESS + " port " + target.port(),
                    Duration.ofSeconds(5))).as(bastionServer.log()).isTrue();
        }
    }

    @Test
    void jumpHostWithUnknownKeyIsNamedInTheError() throws Exception {
        try (OpenSshServer target = OpenSshServer.start(dir.resolve("target-sshd"), List.of(clientKey))) {
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, target.knownHostsLine() + "\n");
            SshSettings bastion = settings(knownHosts);
            SshSettings web1 = SshSettings.of("web1", OpenSshServer.ADDRESS, target.port(), user())
                    .withIdentityFile(clientKey)
                    .withKnownHostsFile(knownHosts)
                    .withJumpHost(SshSettings.of("bastion", bastion.address(), bastion.port(), user())
                            .withIdentityFile(clientKey)
                            .withKnownHostsFile(knownHosts));

            assertThatThrownBy(() -> SshConnection.open(web1))
                    .isInstanceOf(DeployException.class)
                    .hasMessageStartingWith("web1: connect: jump host bastion: host key for [127.0.0.1]:"
                            + server.port() + " is not known");
        }
    }

    @Test
    void tunnelRefusedByBastionIsNamedInTheError() throws Exception {
        int closedPort = closedPort();
        SshSettings bastion = SshSettings.of("bastion", OpenSshServer.ADDRESS, server.port(), user())
                .withIdentityFile(clientKey)
                .withKnownHostsFile(trustingKnownHosts(server))
                .withPassphrases(PassphraseSource.none());
        SshSettings web1 = SshSettings.of("web1", OpenSshServer.ADDRESS, closedPort, user())
                .withIdentityFile(clientKey)
                .withKnownHostsFile(bastion.knownHostsFile())
                .withPassphrases(PassphraseSource.none())
                .withJumpHost(bastion);

        assertThatThrownBy(() -> SshConnection.open(web1))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                .hasMessage("web1: connect: jump host bastion could not open a tunnel to 127.0.0.1:" + closedPort
                        + ": Connection refused");
    }

    @Test
    void defaultKeysInTheHomeDirectoryAreOffered() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.copy(clientKey, home.resolve(".ssh/id_ed25519"));
        Files.copy(encryptedKey, home.resolve(".ssh/id_rsa")); // unusable without a passphrase: skipped
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            SshSettings noIdentity = SshSettings.of("web1", OpenSshServer.ADDRESS, server.port(), user())
                    .withPassphrases(PassphraseSource.none());
            Files.writeString(noIdentity.knownHostsFile(), server.knownHostsLine() + "\n");

            try (SshConnection ssh = SshConnection.open(noIdentity)) {
                assertThat(ssh.run("echo default key").stdoutText()).isEqualTo("default key\n");
            }
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    @Test
    void interruptStopsTheCommandAndKeepsTheInterruptStatus() throws Exception {
        Path pidFile = dir.resolve("pid");
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    while (!Files.exists(pidFile)) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            interrupter.start();
            try {
                String recordPidAndWait = "echo $$ > " + Shell.quote(pidFile.toString()) + "; exec sleep 30";
                assertThatThrownBy(() -> ssh.run(recordPidAndWait))
                        .isInstanceOf(java.io.IOException.class)
                        .hasMessage("interrupted while running a command on web1");
                assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
            } finally {
                interrupter.join();
                Thread.interrupted();
            }
            // kill -0 fails once the shell is gone (sshd reaps it right after the signal).
            String pid = Files.readString(pidFile).strip();
            String waitForExit = "i=0; while kill -0 " + pid + " 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05;"
                    + " i=$((i+1)); done; ! kill -0 " + pid + " 2>/dev/null";
            boolean killed = ssh.run(waitForExit).exitCode() == 0;
            if (!killed) {
                // sshd refuses signal requests for root logins (they run without privilege separation).
                assertThat(server.awaitLog("session signalling requires privilege separation", Duration.ofSeconds(2)))
                        .as("the KILL signal request reached sshd; its log:%n%s", server.log()).isTrue();
                ssh.run("kill " + pid);
            }
        }
    }

    @Test
    void encryptedKeyUsesPassphraseFromEnvironment() throws Exception {
        SshSettings settings = settings(trustingKnownHosts(server))
                .withIdentityFile(encryptedKey)
                .withPassphrases(PassphraseSource.environment(Map.of("DEPLOY_SSH_PASSPHRASE", PASSPHRASE)));

        try (SshConnection ssh = SshConnection.open(settings)) {
            assertThat(ssh.run("echo unlocked").stdoutText()).isEqualTo("unlocked\n");
        }
    }

    @Test
    void aPassphraseTypedSlowerThanTheConnectTimeoutStillLogsIn() throws Exception {
        // A person at the terminal: the host is not silent while deploy waits for them.
        PassphraseSource slowTypist = keyFile -> {
            try {
                Thread.sleep(8000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(PASSPHRASE.toCharArray());
        };
        SshSettings settings = settings(trustingKnownHosts(server))
                .withIdentityFile(encryptedKey)
                .withPassphrases(slowTypist)
                .withConnectTimeout(java.time.Duration.ofSeconds(3));

        try (SshConnection ssh = SshConnection.open(settings)) {
            assertThat(ssh.run("echo typed slowly").stdoutText()).isEqualTo("typed slowly\n");
        }
    }

    @Test
    void encryptedKeyWithoutPassphraseIsNamedInTheError() throws Exception {
        SshSettings settings = settings(trustingKnownHosts(server)).withIdentityFile(encryptedKey);

        assertThatThrownBy(() -> SshConnection.open(settings))
                .isInstanceOf(DeployException.class)
                .hasMessage("web1: authenticate: key " + encryptedKey + " is encrypted and no passphrase is"
                        + " available; set DEPLOY_SSH_PASSPHRASE or run deploy from a terminal to be asked");
        assertThatThrownBy(() -> SshConnection.open(settings.withPassphrases(
                PassphraseSource.environment(Map.of("DEPLOY_SSH_PASSPHRASE", "wrong")))))
                .isInstanceOf(DeployException.class)
                .hasMessage("web1: authenticate: cannot decrypt key " + encryptedKey
                        + " with the passphrase given (wrong passphrase?)");
    }

    @Test
    void refusedKeyIsOneLineHostError() throws Exception {
        Path stranger = SshKeygen.generate(dir.resolve("id_stranger"), "");

        assertThatThrownBy(() -> SshConnection.open(settings(trustingKnownHosts(server)).withIdentityFile(stranger)))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                .hasMessage("web1: authenticate: " + user() + "@127.0.0.1:" + server.port()
                        + " did not accept key " + stranger);
    }

    @Test
    void refusedConnectionIsOneLineHostError() throws Exception {
        int closedPort = closedPort();
        SshSettings settings = SshSettings.of("web1", OpenSshServer.ADDRESS, closedPort, user())
                .withIdentityFile(clientKey)
                .withKnownHostsFile(dir.resolve("known_hosts"));

        assertThatThrownBy(() -> SshConnection.open(settings))
                .isInstanceOfSatisfying(DeployException.class,
                        e -> assertThat(e.kind()).isEqualTo(DeployException.Kind.HOST))
                .hasMessage("web1: connect: connection refused at 127.0.0.1:" + closedPort);
    }

    @Test
    void startedCommandHoldsFlockUntilClosed() throws Exception {
        String lock = dir.resolve("deploy.lock").toString();
        String tryLock = Shell.command("flock", "-n", lock, "-c", "echo got it");
        try (SshConnection ssh = SshConnection.open(settings(trustingKnownHosts(server)))) {
            HostConnection.RunningCommand holder = ssh.start(
                    Shell.command("flock", "-n", lock, "-c", "echo locked; cat >/dev/null"));
            BufferedReader holderOut = new BufferedReader(
                    new InputStreamReader(holder.stdout(), StandardCharsets.UTF_8));
            assertThat(holderOut.readLine()).isEqualTo("locked");
            assertThat(holder.isAlive()).isTrue();

            assertThat(ssh.run(tryLock).exitCode()).isEqualTo(1);

            holder.close();
            assertThat(holder.isAlive()).isFalse();
            assertThat(ssh.run(tryLock).stdoutText()).isEqualTo("got it\n");
            assertThat(ssh.stats().roundTrips()).isEqualTo(3);
        }
    }

    private static SshSettings settings(Path knownHosts) {
        return SshSettings.of("web1", OpenSshServer.ADDRESS, server.port(), user())
                .withIdentityFile(clientKey)
                .withKnownHostsFile(knownHosts)
                .withConnectTimeout(Duration.ofSeconds(10))
                .withPassphrases(PassphraseSource.none());
    }

    private Path trustingKnownHosts(OpenSshServer sshd) throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
        return knownHosts;
    }

    /** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName(OpenSshServer.ADDRESS))) {
            return socket.getLocalPort();
        }
    }

    private static String user() {
        return System.getProperty("user.name");
    }

    /** Writes {@code size} pseudo-random bytes in chunks, adding them to {@code digest}. */
    private static void writeRandom(OutputStream out, int size, MessageDigest digest) throws java.io.IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[64 * 1024];
        for (int written = 0; written < size; written += chunk.length) {
            random.nextBytes(chunk);
            int length = Math.min(chunk.length, size - written);
            out.write(chunk, 0, length);
            digest.update(chunk, 0, length);
        }
    }
}
