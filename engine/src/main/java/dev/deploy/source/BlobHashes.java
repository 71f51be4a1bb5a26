package dev.deploy.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The SHA-256 and size of git blobs of one repository, keyed by blob id. A blob id names its content, so an entry
 * never goes stale and needs no racy check; reading a {@code git:} source again then walks tree objects without
 * inflating and hashing the blobs. Entries of every read of this run are kept (not those of earlier runs only), so
 * memory is bounded by the trees read. Stored like {@link TreeHashes}: replaced whole, corrupt files ignored.
 */
final class BlobHashes {

    private static final String MAGIC = "deploy-blob-hashes-v1";
    private static final int MAX_ENTRIES = 10_000_000;

    /** The size and hex SHA-256 of a blob's content. */
    record Known(long size, String sha256) {
    }

    private final Path dir;
    private final Path file;
    private final String key;
    private final Map<String, Known> previous;
    private final Map<String, Known> current = new HashMap<>();
    private boolean changed;

    private BlobHashes(Path dir, Path file, String key, Map<String, Known> previous) {
        this.dir = dir;
        this.file = file;
        this.key = key;
        this.previous = previous;
    }

    /** No persistence. */
    static BlobHashes none() {
        return new BlobHashes(null, null, null, Map.of());
    }

    /** The blob hashes in {@code file} if it is a valid cache for {@code key} (the repository), else none. */
    static BlobHashes load(Path dir, Path file, String key) {
        Map<String, Known> previous = new HashMap<>();
        try {
            parse(CacheFile.read(file), key, previous);
        } catch (IOException | RuntimeException e) {
            previous.clear();
        }
        return new BlobHashes(dir, file, key, previous);
    }

    /** The cached hash of the blob with hex id {@code blobId}, or null. */
    Known get(String blobId) {
        Known known = current.get(blobId);
        if (known == null) {
            known = previous.get(blobId);
            if (known != null) {
                current.put(blobId, known);
            }
        }
        return known;
    }

    void put(String blobId, long size, String sha256) {
        current.put(blobId, new Known(size, sha256));
        changed = true;
    }

    /** Writes the blobs used in this run if that changes the file; never fails. */
    void save() {
        if (file == null || (!changed && current.size() == previous.size())) {
            return;
        }
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + current.size() * 60);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeUTF(MAGIC);
            out.writeUTF(key);
            out.writeInt(current.size());
            HexFormat hex = HexFormat.of();
            for (Map.Entry<String, Known> entry : current.entrySet()) {
                byte[] id = hex.parseHex(entry.getKey());
                out.writeByte(id.length);
                out.write(id);
                out.writeLong(entry.getValue().size());
                out.write(hex.parseHex(entry.getValue().sha256()));
            }
            out.flush();
            CacheFile.write(dir, file, buffer.toByteArray());
            changed = false;
            previous.clear();
            previous.putAll(current);
        } catch (IOException | RuntimeException e) {
            // not written: the next run hashes the blobs again
        }
    }

    private static void parse(byte[] body, String key, Map<String, Known> into) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        if (!MAGIC.equals(in.readUTF()) || !key.equals(in.readUTF())) {
            throw new IOException("not this repository's cache");
        }
        int count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES) {
            throw new IOException("bad entry count");
        }
        HexFormat hex = HexFormat.of();
        byte[] sha = new byte[32];
        for (int i = 0; i < count; i++) {
            byte[] id = new byte[in.readUnsignedByte()];
            in.readFully(id);
            long size = in.readLong();
            in.readFully(sha);
            into.put(hex.formatHex(id), new Known(size, hex.formatHex(sha)));
        }
        if (in.available() != 0) {
            throw new IOException("trailing bytes");
        }
    }
}
