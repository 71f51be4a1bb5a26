package dev.deploy.host.ssh;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class KnownHostsVerifierTest {

    private static PublicKey hostKey;
    private static PublicKey otherKey;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        hostKey = generator.generateKeyPair().getPublic();
        otherKey = generator.generateKeyPair().getPublic();
    }

    @Test
    void plainEntryForPort22IsTrusted() throws Exception {
        Path file = write(HostKeys.knownHostsLine("web1.example.com", hostKey));

        assertThat(new KnownHostsVerifier(file, false).verify("web1.example.com", 22, hostKey)).isTrue();
    }

    @Test
    void bracketedEntryIsTrustedOnlyForItsPort() throws Exception {
        Path file = write(HostKeys.knownHostsLine("[127.0.0.1]:2222", hostKey));

        assertThat(new KnownHostsVerifier(file, false).verify("127.0.0.1", 2222, hostKey)).isTrue();
        KnownHostsVerifier otherPort = new KnownHostsVerifier(file, false);
        assertThat(otherPort.verify("127.0.0.1", 22, hostKey)).isFalse();
        assertThat(otherPort.rejection()).containsInstanceOf(HostKeyRejection.Unknown.class);
    }

    @Test
    void hashedEntryIsTrusted() throws Exception {
        Path file = write(hashed("[127.0.0.1]:2222") + " "
                + HostKeys.knownHostsLine("x", hostKey).substring(2));

        assertThat(new KnownHostsVerifier(file, false).verify("127.0.0.1", 2222, hostKey)).isTrue();
    }

    @Test
    void unknownKeyIsRefusedWithItsFingerprintAndFileIsLeftAlone() throws Exception {
        Path file = write("# nothing here yet");
        KnownHostsVerifier verifier = new KnownHostsVerifier(file, false);

        assertThat(verifier.verify("127.0.0.1", 2222, hostKey)).isFalse();

        assertThat(verifier.rejection().orElseThrow().detail()).isEqualTo(
                "host key for [127.0.0.1]:2222 is not known; check its fingerprint " + HostKeys.fingerprint(hostKey)
                        + " and re-run with --accept-new-host-keys to record it");
        assertThat(Files.readString(file)).isEqualTo("# nothing here yet\n");
    }

    @Test
    void acceptNewRecordsTheKeyInAPrivateFileItCreates() throws Exception {
        Path file = dir.resolve("new-dir/known_hosts");

        assertThat(new KnownHostsVerifier(file, true).verify("127.0.0.1", 2222, hostKey)).isTrue();

        assertThat(Files.readString(file)).isEqualTo(HostKeys.knownHostsLine("[127.0.0.1]:2222", hostKey) + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(new KnownHostsVerifier(file, false).verify("127.0.0.1", 2222, hostKey)).isTrue();
    }

    @Test
    void acceptNewEndsAnUnterminatedLastLineFirst() throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "# no line break at the end");

        assertThat(new KnownHostsVerifier(file, true).verify("web1", 22, hostKey)).isTrue();

        assertThat(Files.readAllLines(file)).containsExactly("# no line break at the end",
                HostKeys.knownHostsLine("web1", hostKey));
    }

    @Test
    void changedKeyIsRefusedEvenWhenNewKeysAreAcceptedAndPointsAtTheLine() throws Exception {
        Path file = write("# comment", "", HostKeys.knownHostsLine("elsewhere", otherKey),
                HostKeys.knownHostsLine("[127.0.0.1]:2222", otherKey));
        String before = Files.readString(file);
        KnownHostsVerifier verifier = new KnownHostsVerifier(file, true);

        assertThat(verifier.verify("127.0.0.1", 2222, hostKey)).isFalse();

        assertThat(verifier.rejection().orElseThrow().detail()).isEqualTo(
                "host key for [127.0.0.1]:2222 CHANGED (" + file + " line 4 says " + HostKeys.fingerprint(otherKey)
                        + ", host offered " + HostKeys.fingerprint(hostKey) + "); if this is expected remove the old"
                        + " entry with ssh-keygen -R '[127.0.0.1]:2222' -f " + file);
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void revokedKeyIsRefused() throws Exception {
        Path file = write("@revoked " + HostKeys.knownHostsLine("web1", hostKey),
                HostKeys.knownHostsLine("web1", hostKey));
        KnownHostsVerifier verifier = new KnownHostsVerifier(file, true);

        assertThat(verifier.verify("web1", 22, hostKey)).isFalse();

        assertThat(verifier.rejection()).containsInstanceOf(HostKeyRejection.Revoked.class);
    }

    @Test
    void knownKeyTypesAreOfferedFirst() throws Exception {
        Path file = write(HostKeys.knownHostsLine("[127.0.0.1]:2222", hostKey));

        assertThat(new KnownHostsVerifier(file, false).findExistingAlgorithms("127.0.0.1", 2222))
                .containsExactly("ecdsa-sha2-nistp256");
    }

    @Test
    void changedMessageForTheDefaultFileOmitsTheFileOption() {
        HostKeyRejection changed = new HostKeyRejection.Changed("web1", Path.of("/root/.ssh/known_hosts"), true, 3,
                "ssh-ed25519", "SHA256:old", "ssh-rsa", "SHA256:new");

        assertThat(changed.detail()).isEqualTo("host key for web1 CHANGED (/root/.ssh/known_hosts line 3 says"
                + " ssh-ed25519 SHA256:old, host offered ssh-rsa SHA256:new); if this is expected remove the old"
                + " entry with ssh-keygen -R web1");
    }

    @Test
    void aKeyInAFurtherFileIsTrustedAndANewKeyIsRecordedOnlyInTheFirst() throws Exception {
        Path first = write("# nothing about web1 here");
        Path global = Files.writeString(dir.resolve("ssh_known_hosts"), HostKeys.knownHostsLine("web1", hostKey) + "\n");
        Path missing = dir.resolve("known_hosts2");

        assertThat(new KnownHostsVerifier(first, List.of(missing, global), Optional.empty(), false).verify("web1", 22, hostKey))
                .isTrue();

        assertThat(new KnownHostsVerifier(first, List.of(missing, global), Optional.empty(), true).verify("web2", 22, hostKey))
                .isTrue();
        assertThat(Files.readString(first)).contains("web2 ");
        assertThat(Files.readString(global)).doesNotContain("web2");
    }

    @Test
    void aChangedKeyInAFurtherFileIsRefusedNamingThatFile() throws Exception {
        Path first = write("# nothing about web1 here");
        Path global = Files.writeString(dir.resolve("ssh_known_hosts"), HostKeys.knownHostsLine("web1", otherKey)
                + "\n");
        KnownHostsVerifier verifier = new KnownHostsVerifier(first, List.of(global), Optional.empty(), true);

        assertThat(verifier.verify("web1", 22, hostKey)).isFalse();

        assertThat(verifier.rejection().orElseThrow().detail()).contains("CHANGED (" + global + " line 1 says");
    }

    @Test
    void aHostKeyAliasIsTheNameKeysAreLookedUpAndRecordedUnderWithoutThePort() throws Exception {
        // Before, HostKeyAlias was ignored: a host ssh trusts under its alias was refused as unknown.
        Path file = write(HostKeys.knownHostsLine("web1-key", hostKey));

        assertThat(new KnownHostsVerifier(file, List.of(), Optional.of("web1-key"), false)
                .verify("10.0.0.7", 2222, hostKey)).isTrue();
        assertThat(new KnownHostsVerifier(file, List.of(), Optional.of("web2-key"), true)
                .verify("10.0.0.8", 2222, hostKey)).isTrue();
        assertThat(Files.readString(file)).contains("\nweb2-key ");
    }

    private Path write(String... lines) throws Exception {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** The {@code |1|salt|hash} form that {@code ssh-keygen -H} writes. */
    private static String hashed(String name) throws Exception {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        return "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
    }
}
