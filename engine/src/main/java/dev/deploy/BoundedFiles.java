package dev.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file a user named (a plan file, an inventory, a lock file) whole, but only a regular file (after symbolic
 * links) and at most a given number of bytes: a device such as {@code /dev/zero} reports size 0 and never ends, and
 * opening a FIFO waits for a writer, so neither {@link Files#size} nor {@link Files#readAllBytes} bounds them.
 */
public final class BoundedFiles {

    /** The file is not a regular file (a directory, device, FIFO or socket). */
    public static final class NotRegular extends IOException {
        NotRegular(Path file) {
            super(file + " is not a regular file");
        }
    }

    /** The file has more than the limit's bytes. */
    public static final class TooLarge extends IOException {
        TooLarge(Path file, long max) {
            super(file + " has more than " + max + " bytes");
        }
    }

    private BoundedFiles() {
    }

    /**
     * @param max the most bytes read (at most {@code Integer.MAX_VALUE - 8})
     * @throws NoSuchFileException when the file does not exist
     * @throws NotRegular          when it is not a regular file (it is not opened then)
     * @throws TooLarge            when it holds more than {@code max} bytes
     */
    public static byte[] read(Path file, long max) throws IOException {
        if (!Files.isRegularFile(file)) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(file.toString());
            }
            throw new NotRegular(file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > max) {
                throw new TooLarge(file, max);
            }
            return bytes;
        }
    }
}
