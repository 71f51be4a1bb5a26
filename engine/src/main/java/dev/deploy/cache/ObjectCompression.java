package dev.deploy.cache;

import com.github.luben.zstd.ZstdOutputStream;
import dev.deploy.store.Artifact;
import dev.deploy.store.FileNames;
import dev.deploy.store.TreeEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns one file of an artifact into a cache object: its bytes zstd-compressed (level 3, one frame), read once
 * while their SHA-256 and size are checked against the tree entry, so the cache never stores content under another
 * content's key (a file edited since it was hashed is an error, not an upload). Contents up to 1 MiB are compressed
 * in memory, larger ones into a temporary file: with {@link CacheSettings#UPLOADS_IN_PARALLEL} uploads at once the
 * buffers stay a few tens of MiB, well inside the launcher's 256 MiB heap.
 */
final class ObjectCompression {

    static final int LEVEL = 3;
    static final long IN_MEMORY_LIMIT = 1024 * 1024;

    /** A compressed object: in memory, or in a temporary file that {@link #close()} deletes. */
    record Compressed(byte[] bytes, Path file, long size) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The file changed between hashing and upload. */
    static final class ContentChanged extends IOException {
        ContentChanged(String message) {
            super(message);
        }
    }

    private ObjectCompression() {
    }

    static Compressed compress(Artifact artifact, TreeEntry entry) throws IOException {
        MessageDigest sha256 = sha256();
        if (entry.size() <= IN_MEMORY_LIMIT) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) Math.min(entry.size() / 2 + 64, 1 << 20));
            long read = copy(artifact, entry, sha256, buffer);
            check(artifact, entry, sha256, read);
            byte[] bytes = buffer.toByteArray();
            return new Compressed(bytes, null, bytes.length);
        }
        Path file = Files.createTempFile("deploy-cache-", ".zst");
        try {
            long read;
            try (OutputStream out = Files.newOutputStream(file)) {
                read = copy(artifact, entry, sha256, out);
            }
            check(artifact, entry, sha256, read);
            return new Compressed(null, file, Files.size(file));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static long copy(Artifact artifact, TreeEntry entry, MessageDigest sha256, OutputStream target)
            throws IOException {
        long read = 0;
        try (InputStream in = new DigestInputStream(artifact.contents().open(entry), sha256);
             ZstdOutputStream zstd = new ZstdOutputStream(target, LEVEL)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                zstd.write(buffer, 0, n);
                read += n;
            }
        }
        return read;
    }

    private static void check(Artifact artifact, TreeEntry entry, MessageDigest sha256, long read)
            throws ContentChanged {
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (read != entry.size() || !actual.equals(entry.sha256())) {
            throw new ContentChanged(artifact.storePath() + ": " + FileNames.display(entry.path()) + " changed since it was hashed ("
                    + read + " bytes, planned " + entry.size() + "); run the plan again");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
