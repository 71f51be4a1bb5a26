package dev.deploy.host.ssh;

import net.schmizz.sshj.SSHClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientKeysTest {

    @TempDir
    Path home;
    private String realHome;

    @BeforeEach
    void useEmptyHome() {
        realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.setProperty("user.home", realHome);
    }

    @Test
    void withoutAnyKeyTheMessageSaysWhereKeysWereLookedFor() throws Exception {
        try (SSHClient client = new SSHClient()) {
            assertThatThrownBy(() -> ClientKeys.load(client, SshSettings.of("web1", "127.0.0.1", "root")))
                    .isInstanceOf(ClientKeys.KeyProblem.class)
                    .hasMessage("no identity file is set and none of ~/.ssh/id_ed25519, id_ecdsa, id_rsa exists");
        }
    }

    @Test
    void missingIdentityFileIsNamed() throws Exception {
        Path missing = home.resolve("nope");
        try (SSHClient client = new SSHClient()) {
            assertThatThrownBy(() -> ClientKeys.load(client,
                    SshSettings.of("web1", "127.0.0.1", "root").withIdentityFile(missing)))
                    .isInstanceOf(ClientKeys.KeyProblem.class)
                    .hasMessage("identity file " + missing + " does not exist");
        }
    }
}
