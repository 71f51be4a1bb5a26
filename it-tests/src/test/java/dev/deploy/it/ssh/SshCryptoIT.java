package dev.deploy.it.ssh;

import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SSH on the JDK's own crypto providers against a real OpenSSH server: every host key type and every client key
 * type OpenSSH makes by default (its own format, encrypted with the bcrypt KDF or not) connects without BouncyCastle
 * ever being loaded; PEM and PKCS#8 key files still work, through BouncyCastle loaded for them alone.
 */
@Timeout(120)
class SshCryptoIT {

    private static final String PASSPHRASE = "correct horse battery staple";
    private static final List<String> TYPES = List.of("ed25519", "ecdsa", "rsa");

    @TempDir
    static Path shared;
    private static final List<Path> openSshKeys = new ArrayList<>();
    private static Path pemRsa;
    private static Path encryptedPemRsa;
    private static Path encryptedPkcs8Ecdsa;
    private static OpenSshServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeysAndStartServer() throws Exception {
        for (String type : TYPES) {
            openSshKeys.add(SshKeygen.generate(shared.resolve("id_" + type), "", type, "RFC4716"));
            openSshKeys.add(SshKeygen.generate(shared.resolve("id_" + type + "_encrypted"), PASSPHRASE, type,
                    "RFC4716"));
        }
        pemRsa = SshKeygen.generate(shared.resolve("pem_rsa"), "", "rsa", "PEM");
        encryptedPemRsa = SshKeygen.generate(shared.resolve("pem_rsa_encrypted"), PASSPHRASE, "rsa", "PEM");
        encryptedPkcs8Ecdsa = SshKeygen.generate(shared.resolve("pkcs8_ecdsa_encrypted"), PASSPHRASE, "ecdsa",
                "PKCS8");
        server = OpenSshServer.start(shared.resolve("sshd"), allKeys(), "DEBUG1", "ed25519");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void everyOpenSshClientKeyLogsInToAHostWithThisHostKeyType(String hostKeyType) throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start(dir.resolve("sshd"), allKeys(), "DEBUG1", hostKeyType)) {
            Path knownHosts = trusting(sshd);
            for (Path key : openSshKeys) {
                try (SshConnection ssh = SshConnection.open(settings(sshd, knownHosts, key))) {
                    assertThat(ssh.run("echo in").stdoutText()).as("%s", key.getFileName()).isEqualTo("in\n");
                }
            }
            String expectedHostKey = switch (hostKeyType) {
                case "ecdsa" -> "ecdsa-sha2-nistp256";
                case "rsa" -> "rsa-sha2-";
                default -> "ssh-ed25519";
            };
            assertThat(sshd.log()).contains("kex: host key algorithm: " + expectedHostKey)
                    .contains("kex: algorithm: curve25519-sha256")
                    .contains("kex: client->server cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com");
        }
    }

    @Test
    void pemAndPkcs8KeyFilesStillLogIn() throws Exception {
        Path knownHosts = trusting(server);
        for (Path key : List.of(pemRsa, encryptedPemRsa, encryptedPkcs8Ecdsa)) {
            try (SshConnection ssh = SshConnection.open(settings(server, knownHosts, key))) {
                assertThat(ssh.run("echo in").stdoutText()).as("%s", key.getFileName()).isEqualTo("in\n");
            }
        }
    }

    @Test
    void openSshKeysNeverLoadBouncyCastle() throws Exception {
        Path knownHosts = trusting(server);
        for (Path key : List.of(shared.resolve("id_ed25519"), shared.resolve("id_ecdsa_encrypted"))) {
            String classes = probe(knownHosts, key);
            assertThat(classes).as("%s", key.getFileName()).contains("connected")
                    .doesNotContain("org.bouncycastle");
        }
    }

    @Test
    void pemKeyLoadsBouncyCastleOnlyForItself() throws Exception {
        // The same probe sees BouncyCastle's classes when a PEM key needs them: the check above can fail.
        String classes = probe(trusting(server), encryptedPemRsa);
        assertThat(classes).contains("connected").contains("org.bouncycastle");
    }

    /** Connects in a fresh JVM that logs every class it loads; returns that log and the probe's output. */
    private String probe(Path knownHosts, Path key) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-verbose:class",
                "-cp", System.getProperty("java.class.path"), ConnectProbe.class.getName(),
                String.valueOf(server.port()), knownHosts.toString(), key.toString()));
        if (key.getFileName().toString().contains("encrypted")) {
            command.add(PASSPHRASE);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output.lines().filter(l -> !l.startsWith("[")).toList().toString())
                .isZero();
        return output;
    }

    private Path trusting(OpenSshServer sshd) throws Exception {
        Path knownHosts = Files.createTempFile(dir, "known_hosts", "");
        Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
        return knownHosts;
    }

    private static SshSettings settings(OpenSshServer sshd, Path knownHosts, Path key) {
        PassphraseSource passphrases = key.getFileName().toString().contains("encrypted")
                ? PassphraseSource.environment(Map.of(PassphraseSource.ENVIRONMENT_VARIABLE, PASSPHRASE))
                : PassphraseSource.none();
        return SshSettings.of("web1", OpenSshServer.ADDRESS, sshd.port(), System.getProperty("user.name"))
                .withIdentityFile(key)
                .withKnownHostsFile(knownHosts)
                .withConnectTimeout(Duration.ofSeconds(10))
                .withPassphrases(passphrases);
    }

    private static List<Path> allKeys() {
        List<Path> keys = new ArrayList<>(openSshKeys);
        keys.addAll(List.of(pemRsa, encryptedPemRsa, encryptedPkcs8Ecdsa));
        return keys;
    }
}
