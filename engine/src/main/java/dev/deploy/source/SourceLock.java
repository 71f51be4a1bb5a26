package dev.deploy.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deploy.DeployException;
import dev.deploy.yaml.FileErrors;
import dev.deploy.Location;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.codec.digest.DigestUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code deploy.lock}: the pin of every git-based source of an inventory, kept beside it and meant to be committed
 * (like Nix's {@code flake.lock}). JSON, keys sorted, two-space indent, one trailing newline, so that a change of
 * pins is a small diff:
 * <pre>
 * {
 *   "version": 1,
 *   "sources": {
 *     "github:lnbits/lnbits/v1.0.0": {
 *       "url": "https://github.com/lnbits/lnbits.git",
 *       "ref": "v1.0.0",
 *       "resolvedRef": "refs/tags/v1.0.0",
 *       "kind": "tag",
 *       "commit": "5ad3f6...40 hex",
 *       "treeHash": "sha256 hex of the source's canonical tree (dev.deploy.store.Tree)",
 *       "lockedAt": "2025-05-01T12:00:00Z"
 *     }
 *   }
 * }
 * </pre>
 * The key is the reference as written ({@link #keyFor}); a local repository's key and {@code url} use its path
 * relative to the lock file's directory ({@code git+file:../app?ref=main}), so the lock means the same in every
 * checkout. {@code rev}, {@code dir} appear when the reference has them. A missing file is an empty lock; a file that
 * does not parse is an input error naming it. Runs that write the same lock at the same time merge their changes
 * ({@link #write}).
 */
public final class SourceLock {

    /** The lock file's name, beside the inventory. */
    public static final String FILE_NAME = "deploy.lock";

    static final int VERSION = 1;

    /** The values of an entry's {@code kind}: {@link GitResolution.Kind} in lower case. */
    private static final List<String> KINDS = java.util.Arrays.stream(GitResolution.Kind.values())
            .map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toList();

    /** One pinned source. Nullable fields are absent from the file. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"url", "ref", "rev", "dir", "resolvedRef", "kind", "commit", "treeHash", "lockedAt"})
    public record Entry(String url, String ref, String rev, String dir, String resolvedRef, String kind,
                        String commit, String treeHash, String lockedAt) {
    }

    /** The file's shape. */
    @JsonPropertyOrder({"version", "sources"})
    record Document(int version, SortedMap<String, Entry> sources) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** One lock per lock file in this JVM: {@link FileChannel#lock} does not exclude threads of one process. */
    private static final ConcurrentHashMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();

    private final Path file;
    private final SortedMap<String, Entry> entries;
    /** What this run put (present) or removed (empty) since it loaded or last wrote, by key, in order. */
    private final Map<String, Optional<Entry>> changes = new LinkedHashMap<>();
    private final Path flock;

    private SourceLock(Path file, SortedMap<String, Entry> entries, Path flock) {
        this.file = file;
        this.entries = entries;
        this.flock = flock;
    }

    /** The lock in {@code file}; empty when the file does not exist or is empty. Writes merge, in this JVM only. */
    public static SourceLock load(Path file) {
        return load(file, null);
    }

    /**
     * The lock in {@code file}; {@code flockDir} (the controller's cache) holds the file {@link #write} locks so
     * that runs in other processes merge their pins instead of overwriting each other's; null: none.
     */
    public static SourceLock load(Path file, Path flockDir) {
        Path flock = flockDir == null ? null
                : flockDir.resolve(DigestUtils.sha256Hex(key(file).toString()).substring(0, 24) + ".lock");
        return new SourceLock(file, read(file), flock);
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** The entries {@code file} holds now. */
    private static SortedMap<String, Entry> read(Path file) {
        try {
            // bounded, and never a device or FIFO (dev.deploy.BoundedFiles): IOException below names it
            String text = new String(dev.deploy.BoundedFiles.read(file, 64L << 20), StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return new TreeMap<>();
            }
            Document document = JSON.readValue(text, Document.class);
            if (document.version() != VERSION || document.sources() == null) {
                throw DeployException.input(Location.of(file), null, "unsupported lock file version "
                        + document.version() + " (this deploy writes version " + VERSION + ")");
            }
            for (Map.Entry<String, Entry> entry : document.sources().entrySet()) {
                Entry e = entry.getValue();
                if (e == null || e.commit() == null || !e.commit().matches("[0-9a-f]{40}|[0-9a-f]{64}")
                        || e.url() == null || e.treeHash() == null) {
                    throw DeployException.input(Location.of(file), "sources." + entry.getKey(),
                            "needs url, commit (a full commit id) and treeHash");
                }
                if (e.kind() != null && !KINDS.contains(e.kind())) {
                    // read as a commit, an unknown kind would skip the check whether upstream moved
                    throw DeployException.input(Location.of(file), "sources." + entry.getKey() + ".kind",
                            "unknown kind '" + e.kind() + "': expected one of " + String.join(", ", KINDS));
                }
            }
            return new TreeMap<>(document.sources());
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            Location where = at == null || at.getLineNr() <= 0 ? Location.of(file)
                    : new Location(file.toString(), at.getLineNr(), Math.max(1, at.getColumnNr() - 1));
            boolean conflict = e.getOriginalMessage() != null && e.getOriginalMessage().contains("'<'");
            throw DeployException.input(where, null, "not a valid lock file: " + e.getOriginalMessage()
                    + (conflict ? " (merge conflict markers? keep either side's entry, or delete the conflicting "
                    + "entries and run 'deploy lock' to pin them again)" : ""));
        } catch (IOException e) {
            throw DeployException.input(Location.of(file), null, "cannot read the lock file: " + FileErrors.describe(e));
        }
    }

    public Path file() {
        return file;
    }

    public Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Every entry, by key. */
    public SortedMap<String, Entry> entries() {
        return java.util.Collections.unmodifiableSortedMap(entries);
    }

    void put(String key, Entry entry) {
        entries.put(key, entry);
        changes.put(key, Optional.of(entry));
    }

    void remove(String key) {
        entries.remove(key);
        changes.put(key, Optional.empty());
    }

    /** The key {@code spec} has in this lock: the reference as written, or for a local repository its path here. */
    public String keyFor(SourceSpec.GitSource spec) {
        if (!spec.isLocal()) {
            return spec.written();
        }
        StringBuilder key = new StringBuilder("git+file:").append(portableUrl(spec));
        String separator = "?";
        for (String[] param : new String[][] {{"dir", spec.dir().orElse(null)}, {"ref", spec.ref().orElse(null)},
                {"rev", spec.rev().orElse(null)}}) {
            if (param[1] != null) {
                key.append(separator).append(param[0]).append('=').append(param[1]);
                separator = "&";
            }
        }
        return key.toString();
    }

    /** The repository as the lock records it: a URL, or a local path relative to the lock's directory. */
    String portableUrl(SourceSpec.GitSource spec) {
        if (!spec.isLocal()) {
            return spec.displayUrl();
        }
        Path dir = file.toAbsolutePath().getParent();
        return NativePaths.text(dir.relativize(NativePaths.path(spec.url())));
    }

    /**
     * Writes this run's changes into the lock: under an exclusive lock (this JVM's, and a {@code flock} on a file in
     * the cache), the file is read again, this run's puts and removals are applied to what it holds now (so two
     * runs started together keep both their pins; the later one wins for a key both wrote), and the result goes
     * to a temporary file in the same directory, renamed over the old one.
     */
    public void write() {
        ReentrantLock writer = WRITERS.computeIfAbsent(key(file), k -> new ReentrantLock());
        writer.lock();
        try (FileChannel channel = flock == null ? null : openFlock(); FileLock held = channel == null ? null
                : channel.lock()) {
            SortedMap<String, Entry> now = read(file);
            changes.forEach((key, entry) -> {
                if (entry.isPresent()) {
                    now.put(key, entry.get());
                } else {
                    now.remove(key);
                }
            });
            writeFile(now);
            changes.clear();
            entries.clear();
            entries.putAll(now);
        } catch (IOException e) {
            throw DeployException.input(Location.of(file), null, "cannot lock the lock file for writing ("
                    + flock + "): " + FileErrors.describe(e));
        } finally {
            writer.unlock();
        }
    }

    private FileChannel openFlock() throws IOException {
        Files.createDirectories(flock.getParent());
        return FileChannel.open(flock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private void writeFile(SortedMap<String, Entry> sources) {
        Document document = new Document(VERSION, sources);
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            printer.indentArraysWith(new DefaultIndenter("  ", "\n"));
            printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
            String text = JSON.writer(printer).writeValueAsString(document) + "\n";
            Path dir = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(dir, ".deploy.lock.", ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw DeployException.input(Location.of(file), null, "cannot write the lock file: " + FileErrors.describe(e));
        }
    }
}
