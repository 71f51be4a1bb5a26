package dev.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory ({@code stateDir}, a local target's {@code root}) becomes a path in host scripts, in unit files
 * ({@code EnvironmentFile=}) and in messages: one a host cannot hold, or that would end a line, is bad input with its
 * location, before any host is touched.
 */
class StateDirInputTest {

    @TempDir
    Path dir;

    private String errorOf(String hostFields) throws Exception {
        return InventoryInputErrors.errorOf(dir, "hosts:\n  h:\n" + hostFields);
    }

    @Test
    void aStateDirWithALineBreakOrAnotherControlCharacterIsRefused() throws Exception {
        assertThat(errorOf("    address: 192.0.2.1\n    stateDir: \"/var/lib/de\\nploy\"\n"))
                .startsWith("inventory.yaml:4:15: hosts.h.stateDir: control character U+000A (line feed)");
        assertThat(errorOf("    address: 192.0.2.1\n    stateDir: \"/var/lib/de\\x1bploy\"\n"))
                .startsWith("inventory.yaml:4:15: hosts.h.stateDir: control character U+001B");
        assertThat(errorOf("    local: {root: \"./st\\rate\"}\n"))
                .startsWith("inventory.yaml:3:19: hosts.h.local.root: control character U+000D (carriage return)");
    }

    @Test
    void aStateDirLongerThanAHostCanHoldIsRefused() throws Exception {
        String segment = "s".repeat(200);
        String tooLong = ("/" + segment).repeat(6);
        assertThat(errorOf("    address: 192.0.2.1\n    stateDir: " + tooLong + "\n"))
                .startsWith("inventory.yaml:4:15: hosts.h.stateDir: a state directory of 1206 bytes (at most 1024");
        assertThat(errorOf("    local: {root: ./" + "n".repeat(256) + "}\n"))
                .startsWith("inventory.yaml:3:19: hosts.h.local.root: a path segment of 256 bytes (at most 255)");
    }
}
