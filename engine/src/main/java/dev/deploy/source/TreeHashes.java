package dev.deploy.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The cached file hashes of one {@code path:} source, keyed by path relative to its root.
 *
 * <p>A cached hash is used only when the file's {@link FileStat} is unchanged and the file was not "racy" when it was
 * hashed (git's racy-git rule): its mtime and ctime must be older than the start of the scan that hashed it, minus
 * {@link #RACY_MARGIN_NANOS}. A file written in the same timestamp tick as it was read, or given back its old mtime,
 * could otherwise keep a stale hash; such a file is read again and is trusted from the next scan on.
 *
 * <p>The file is replaced whole ({@link CacheFile}), so concurrent runs never see a partial file. A missing,
 * unreadable, corrupt (CRC) or foreign file is an empty cache; failing to write is ignored. Only the entries of the
 * latest scan are kept, so memory is bounded by the tree's metadata.
 */
final class TreeHashes {

    /** How much older than the scan start a file must be for its cached hash to be trusted. */
    static final long RACY_MARGIN_NANOS = 2_000_000_000L;

    private static final String MAGIC = "deploy-hash-cache-v1";
    private static final int SHA256_BYTES = 32;
    private static final int MAX_ENTRIES = 10_000_000;

    /** A file's hash and executable bit as of its {@code stat}. */
    record Known(FileStat stat, boolean executable, String sha256) {
    }

    private final Path dir;
    private final Path file;
    private final String key;
    private final long previousScanStart;
    private final Map<String, Known> previous;
    private final long scanStart;
    private final Map<String, Known> current = new HashMap<>();
    private boolean changed;

    private TreeHashes(Path dir, Path file, String key, long previousScanStart, Map<String, Known> previous,
                       long scanStart) {
        this.dir = dir;
        this.file = file;
        this.key = key;
        this.previousScanStart = previousScanStart;
        this.previous = previous;
        this.scanStart = scanStart;
    }

    /** No persistence: every lookup misses, nothing is saved. */
    static TreeHashes none(long scanStart) {
        return new TreeHashes(null, null, null, 0, Map.of(), scanStart);
    }

    /** The hashes in {@code file} if it is a valid cache for {@code key}, else an empty cache saved there. */
    static TreeHashes load(Path dir, Path file, String key, long scanStart) {
        long previousScanStart = 0;
        Map<String, Known> previous = new HashMap<>();
        try {
            previousScanStart = parse(CacheFile.read(file), key, previous);
        } catch (IOException | RuntimeException e) {
            // missing, unreadable or corrupt: start empty, the scan hashes everything and rewrites it
            previous.clear();
        }
        return new TreeHashes(dir, file, key, previousScanStart, previous, scanStart);
    }

    /** The cached hash of {@code path} if it can be trusted for a file that has {@code stat} now, else null. */
    Known lookup(String path, FileStat stat) {
        Known known = previous.get(path);
        if (known == null || !known.stat().equals(stat)
                || known.stat().changedNanos() >= previousScanStart - RACY_MARGIN_NANOS) {
            changed = true;
            return null;
        }
        current.put(path, known);
        return known;
    }

    /** Records the hash just computed for {@code path}, whose {@code stat} was taken before it was read. */
    void put(String path, FileStat stat, boolean executable, String sha256) {
        current.put(path, new Known(stat, executable, sha256));
        changed = true;
    }

    /** Writes the entries of this scan if they differ from the file's; never fails. */
    void save() {
        if (file == null || (!changed && current.size() == previous.size())) {
            return;
        }
        try {
            CacheFile.write(dir, file, serialize());
        } catch (IOException e) {
            // not written: the next run re-reads
        }
    }

    private byte[] serialize() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + current.size() * 128);
        DataOutputStream out = new DataOutputStream(buffer);
        out.writeUTF(MAGIC);
        out.writeUTF(key);
        out.writeLong(scanStart);
        Map<String, Known> writable = new HashMap<>();
        for (Map.Entry<String, Known> entry : current.entrySet()) {
            if (entry.getKey().length() < 16_384) {  // writeUTF takes at most 65,535 bytes
                writable.put(entry.getKey(), entry.getValue());
            }
        }
        out.writeInt(writable.size());
        for (Map.Entry<String, Known> entry : writable.entrySet()) {
            Known known = entry.getValue();
            FileStat stat = known.stat();
            out.writeUTF(entry.getKey());
            out.writeLong(stat.size());
            out.writeLong(stat.mtimeNanos());
            out.writeLong(stat.ctimeNanos());
            out.writeLong(stat.inode());
            out.writeLong(stat.device());
            out.writeInt(stat.mode());
            out.writeBoolean(known.executable());
            out.write(HexFormat.of().parseHex(known.sha256()));
        }
        out.flush();
        return buffer.toByteArray();
    }

    /** Fills {@code into} from a cache file's body; returns the scan start it records. */
    private static long parse(byte[] bytes, String key, Map<String, Known> into) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (!MAGIC.equals(in.readUTF()) || !key.equals(in.readUTF())) {
            throw new UTFDataFormatException("not this source's cache");
        }
        long scanStart = in.readLong();
        int count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES) {
            throw new IOException("bad entry count");
        }
        byte[] sha = new byte[SHA256_BYTES];
        for (int i = 0; i < count; i++) {
            String path = in.readUTF();
            FileStat stat = new FileStat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readInt());
            boolean executable = in.readBoolean();
            in.readFully(sha);
            into.put(path, new Known(stat, executable, HexFormat.of().formatHex(sha)));
        }
        if (in.available() != 0) {
            throw new IOException("trailing bytes");
        }
        return scanStart;
    }
}
