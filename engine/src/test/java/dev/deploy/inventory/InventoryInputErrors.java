package dev.deploy.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads an inventory written for a test and returns the input error it must give, as the user reads it. */
final class InventoryInputErrors {

    private InventoryInputErrors() {
    }

    /**
     * Writes {@code yaml} to {@code dir/inventory.yaml}, loads it and returns its one-line input error with the
     * directory left out ({@code inventory.yaml:4:11: hosts.h.user: ...}); fails when it loads or the error is not
     * bad input on one line.
     */
    static String errorOf(Path dir, String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("inventory.yaml"), yaml);
        try {
            InventoryLoader.load(file);
        } catch (DeployException e) {
            assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
            return e.getMessage().replace(dir + "/", "");
        }
        throw new AssertionError("expected an input error");
    }
}
