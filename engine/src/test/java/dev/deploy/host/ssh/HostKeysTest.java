package dev.deploy.host.ssh;

import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class HostKeysTest {

    private static final String ED25519_BLOB = "AAAAC3NzaC1lZDI1NTE5AAAAIDFFihdcPV+6Uy1p7jgw8lYb22JC/zESS1gYEctrtDEm";

    @Test
    void fingerprintMatchesSshKeygen() {
        // ssh-keygen -lf on this key prints SHA256:Gxu3KrAlbRVjce1MB48g1as5Bd3E2U2QybGAhSXdHyY
        assertThat(HostKeys.fingerprint(Base64.getDecoder().decode(ED25519_BLOB)))
                .isEqualTo("SHA256:Gxu3KrAlbRVjce1MB48g1as5Bd3E2U2QybGAhSXdHyY");
    }

    @Test
    void knownHostsNameUsesBracketsForNonStandardPorts() {
        assertThat(HostKeys.knownHostsName("Web1.Example.com", 22)).isEqualTo("web1.example.com");
        assertThat(HostKeys.knownHostsName("127.0.0.1", 2222)).isEqualTo("[127.0.0.1]:2222");
    }

    @Test
    void knownHostsLineCarriesTheKeyBackUnchanged() throws Exception {
        PublicKey key = new Buffer.PlainBuffer(Base64.getDecoder().decode(ED25519_BLOB)).readPublicKey();

        String line = HostKeys.knownHostsLine("[127.0.0.1]:2222", key);

        assertThat(line).isEqualTo("[127.0.0.1]:2222 ssh-ed25519 " + ED25519_BLOB);
    }

    @Test
    void knownHostsLineNamesTheKeyType() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        PublicKey key = generator.generateKeyPair().getPublic();

        assertThat(HostKeys.knownHostsLine("web1", key)).startsWith("web1 ecdsa-sha2-nistp256 AAAA");
    }
}
