package dev.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.plan.SavedPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files named by a user (a plan file, an inventory) are read only when regular and only up to a limit: a device
 * ({@code /dev/zero}) or a FIFO given as a plan file made apply run out of memory or wait forever.
 */
class BoundedFilesTest {

    @Test
    void aRegularFileIsReadWholeUpToTheLimit(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "hello");
        assertThat(BoundedFiles.read(file, 5)).isEqualTo("hello".getBytes());
        assertThatThrownBy(() -> BoundedFiles.read(file, 4)).isInstanceOf(BoundedFiles.TooLarge.class);
    }

    @Test
    void aDeviceOrAFifoIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> BoundedFiles.read(Path.of("/dev/zero"), 100))
                .isInstanceOf(BoundedFiles.NotRegular.class);
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThatThrownBy(() -> BoundedFiles.read(fifo, 100)).isInstanceOf(BoundedFiles.NotRegular.class);
    }

    @Test
    void aPlanFileThatIsADeviceOrAFifoIsBadInputNamingIt(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SavedPlan.read(Path.of("/dev/zero"))).isInstanceOfSatisfying(DeployException.class,
                e -> assertThat(e.getMessage()).contains("/dev/zero", "not a regular file"));
        Path fifo = dir.resolve("plan.json");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> SavedPlan.read(fifo)).isInstanceOfSatisfying(DeployException.class,
                e -> assertThat(e.getMessage()).contains("plan.json", "not a regular file"));
    }
}
