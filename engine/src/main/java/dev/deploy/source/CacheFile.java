package dev.deploy.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A hash cache file on disk: a body and its CRC-32, written to a temporary file and renamed into place so that
 * readers, including other deploy processes, see either the old file or the new one, never a mix (the last writer
 * wins).
 */
final class CacheFile {

    private CacheFile() {
    }

    /** The body of {@code file}; an {@link IOException} if it is missing, unreadable, truncated or corrupt. */
    static byte[] read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < Long.BYTES) {
            throw new IOException("truncated");
        }
        int body = bytes.length - Long.BYTES;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, body);
        if (crc.getValue() != ByteBuffer.wrap(bytes, body, Long.BYTES).getLong()) {
            throw new IOException("checksum mismatch");
        }
        return Arrays.copyOf(bytes, body);
    }

    /** Replaces {@code file} (in {@code dir}, created if needed) with {@code body}; failures are ignored. */
    static void write(Path dir, Path file, byte[] body) {
        Path temp = null;
        try {
            CRC32 crc = new CRC32();
            crc.update(body);
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, ".hashes-", ".tmp");
            Files.write(temp, ByteBuffer.allocate(body.length + Long.BYTES).put(body).putLong(crc.getValue()).array());
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written only costs the next run a re-read
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // leftover temp file: harmless
                }
            }
        }
    }
}
