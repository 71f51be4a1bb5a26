package dev.deploy.it.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A venv's {@code bin/python} links to the host's interpreter, outside the test's temporary directory. Tests that
 * build venvs on disk remove those links themselves when they finish, so JUnit's clean-up of the directory never
 * meets a link that leads out of it (it would warn, and rightly: the test left something pointing at the machine).
 * (The same as engine's test helper of that name: the modules share no test code.)
 */
final class OutwardLinks {

    private OutwardLinks() {
    }

    /** Deletes every symbolic link under {@code root} whose target lies outside {@code root}; returns how many. */
    static int removeUnder(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Path top = root.toAbsolutePath().normalize();
        List<Path> outward;
        try (Stream<Path> walk = Files.walk(top)) {
            outward = walk.filter(Files::isSymbolicLink).filter(link -> !target(link).startsWith(top)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path link : outward) {
            try {
                // Store paths are sealed read-only; as a non-root user the link's directory must be made writable.
                Path dir = link.getParent();
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                if (!permissions.contains(PosixFilePermission.OWNER_WRITE)) {
                    permissions.add(PosixFilePermission.OWNER_WRITE);
                    Files.setPosixFilePermissions(dir, permissions);
                }
                Files.delete(link);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return outward.size();
    }

    private static Path target(Path link) {
        try {
            return link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
