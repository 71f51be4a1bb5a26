package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --out FILE}: where the plan file may go and what the user reads when it cannot. */
class SavedPlanFileTest {

    @Test
    void aDirectoryGivenAsThePlanFileIsBadInputNamingItWithoutATemporaryName(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectory(dir.resolve("plans"));

        assertThatThrownBy(() -> SavedPlanFile.write(target, List.of(), dir.resolve("inventory.yaml")))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(e.getMessage()).contains("--out", target + ": is a directory")
                            .doesNotContain(".tmp");
                });
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(target);
        }
    }

    @Test
    void aPlanFileInADirectoryThatDoesNotExistSaysSo(@TempDir Path dir) {
        Path target = dir.resolve("missing/plan.json");

        assertThatThrownBy(() -> SavedPlanFile.write(target, List.of(), dir.resolve("inventory.yaml")))
                .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.getMessage())
                        .contains(target + ": cannot write the plan file: no such file").doesNotContain(".tmp"));
    }
}
