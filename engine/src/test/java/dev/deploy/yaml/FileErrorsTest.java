package dev.deploy.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** A file error says why, not only which path (java.nio's message for most of them). */
class FileErrorsTest {

    @Test
    void anErrorWhoseMessageIsOnlyThePathSaysWhy() {
        assertThat(FileErrors.describe(new AccessDeniedException("/etc/deploy/inventory.yaml")))
                .isEqualTo("permission denied (/etc/deploy/inventory.yaml)");
        assertThat(FileErrors.describe(new NoSuchFileException("/x"))).isEqualTo("no such file (/x)");
        assertThat(FileErrors.describe(new FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("Read-only file system (/x)");
        assertThat(FileErrors.describe(new IOException("Stream closed"))).isEqualTo("Stream closed");
    }
}
