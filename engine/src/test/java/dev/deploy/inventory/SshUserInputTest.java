package dev.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SSH {@code user} is handed to {@code ssh -G} and to the SSH server: one with a line break, a blank or another
 * control character, or that looks like an option, is an input error naming the user field and its line, not an
 * error of {@code ssh -G} blamed on the host's address.
 */
class SshUserInputTest {

    @TempDir
    Path dir;

    private String errorOf(String user) throws Exception {
        return InventoryInputErrors.errorOf(dir, "hosts:\n  h:\n    address: 192.0.2.1\n    user: " + user + "\n");
    }

    @Test
    void aUserWithALineBreakIsRefusedAtItsOwnLine() throws Exception {
        assertThat(errorOf("\"ro\\not\"")).startsWith("inventory.yaml:4:11: hosts.h.user: not a user name: ");
        assertThat(errorOf("\"ro ot\"")).startsWith("inventory.yaml:4:11: hosts.h.user: not a user name: ");
        assertThat(errorOf("\"-oProxyCommand=x\"")).startsWith("inventory.yaml:4:11: hosts.h.user: not a user name: ");
        assertThat(errorOf("\"\"")).startsWith("inventory.yaml:4:11: hosts.h.user: not a user name: ");
    }
}
