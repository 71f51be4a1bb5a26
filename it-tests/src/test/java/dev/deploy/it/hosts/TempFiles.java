package dev.deploy.it.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletion of the temporary directories the test hosts use. */
final class TempFiles {

    private TempFiles() {
    }

    /** Deletes {@code dir} and everything in it; a missing directory is fine. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /** Deletes {@code dir} when the JVM shuts down (reporting, not throwing, a failure then). */
    static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                deleteRecursively(dir);
            } catch (UncheckedIOException e) {
                System.err.println("warning: " + e.getMessage() + ": " + e.getCause());
            }
        }, "delete-" + dir.getFileName()));
    }
}
