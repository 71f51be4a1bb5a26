package dev.deploy.transfer;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Pushes store paths a host lacks in one round trip: a tar stream goes to {@code push.sh} on the host (see the
 * script for what it checks and in which order), which unpacks under {@code store/.incoming-*}. When the host has
 * an earlier version of a path (a {@link DeltaBases delta base} with a meta list), only files that differ from it
 * cross the wire; the host copies the others from the base (never sharing an inode between store paths). A path gets its final name only after the host
 * checked its entries, modes, link targets and SHA-256 sums, and ran the artifact's seal step.
 *
 * <p>Names are bytes: tar headers carry each path and link target's exact bytes ({@link TreeEntry#pathBytes()};
 * the archive is written with ISO-8859-1, one char per byte, and GNU long-name records, never PAX {@code path}
 * records, which GNU tar would convert from UTF-8 to the host's locale), and the host compares byte-exact,
 * NUL-separated lists ({@link VerificationLists}).
 */
public final class ArtifactPusher {

    /** Exit codes of {@code push.sh}. */
    public enum PushExit implements HostScript.ExitCode {
        /** A received path differs from its lists, or its seal step failed. */
        VERIFY_FAILED(3),
        /** A delta base vanished or copying from it failed: nothing got a final name; resend whole. */
        BASE_GONE(4),
        /** The store or its meta directory is a symlink or not a directory. */
        UNSAFE_STORE(5);

        private final int code;

        PushExit(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    /**
     * Whole seconds: an entry time with a fraction would cost a PAX header (1 kB) per entry. Store paths carry no
     * meaningful times anyway.
     */
    private static final FileTime MTIME = FileTime.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    private ArtifactPusher() {
    }

    /**
     * Pushes what {@code plan} adds: fetches the meta lists of delta bases first (one extra round trip, only when
     * some missing path has a candidate on the host), then pushes the deltas.
     */
    public static TransferResult push(HostConnection connection, HostLayout layout, HostPlan plan,
                                      TransferProgress progress) {
        if (plan.toAdd().isEmpty()) {
            return TransferResult.NOTHING;
        }
        // a damaged store path is never a delta base, and one being repaired is received whole
        return push(connection, layout, plan.toAdd(), BaseFetcher.fetch(connection, layout, DeltaBases.requests(plan)),
                repairs(plan), progress);
    }

    /** The store paths {@code plan} repairs: the host has them, but they failed their check. */
    public static Set<StorePath> repairs(HostPlan plan) {
        return plan.toRepair().stream().map(Artifact::storePath).collect(Collectors.toSet());
    }

    /** Pushes {@code artifacts} whole. */
    public static TransferResult push(HostConnection connection, HostLayout layout, List<Artifact> artifacts,
                                      TransferProgress progress) {
        return push(connection, layout, artifacts, Map.of(), progress);
    }

    /** Pushes {@code artifacts}, each as a delta against its base in {@code bases} if it has one. */
    public static TransferResult push(HostConnection connection, HostLayout layout, List<Artifact> artifacts,
                                      Map<StorePath, BaseFetcher.Base> bases, TransferProgress progress) {
        return push(connection, layout, artifacts, bases, Set.of(), progress);
    }

    /**
     * Pushes {@code artifacts}, each as a delta against its base in {@code bases} if it has one; those in
     * {@code repairs} exist on the host but failed their check: they are received whole and swapped in. When the host
     * could not use a base (gone, or a file copied from it does not match its hash: the base was altered), every
     * path is sent again whole, once.
     */
    public static TransferResult push(HostConnection connection, HostLayout layout, List<Artifact> artifacts,
                                      Map<StorePath, BaseFetcher.Base> bases, Set<StorePath> repairs,
                                      TransferProgress progress) {
        if (artifacts.isEmpty()) {
            return TransferResult.NOTHING;
        }
        List<PathDelta> deltas = artifacts.stream()
                .map(a -> PathDelta.of(a, Optional.ofNullable(bases.get(a.storePath())))).toList();
        CommandResult result = run(connection, layout, deltas, repairs, progress);
        boolean baseUnusable = result.exitCode() == PushExit.BASE_GONE.code()
                || result.exitCode() == PushExit.VERIFY_FAILED.code();
        if (baseUnusable && deltas.stream().anyMatch(d -> d.base().isPresent())) {
            deltas = artifacts.stream().map(a -> PathDelta.of(a, Optional.empty())).toList();
            result = run(connection, layout, deltas, repairs, progress);
        }
        if (!result.ok()) {
            String line = result.lastErrorLine();
            // tar names the file relative to the incoming directory: say which disk filled up
            throw DeployException.host(connection.hostName(), "transfer", line.contains(CommandResult.NO_SPACE)
                    ? line + " (receiving into " + layout.store() + ")" : line);
        }
        return new TransferResult(deltas.size(), deltas.stream().mapToInt(PathDelta::filesToSend).sum(),
                deltas.stream().mapToLong(PathDelta::bytesToSend).sum(),
                deltas.stream().mapToInt(d -> d.links().size()).sum(),
                deltas.stream().mapToLong(PathDelta::bytesReused).sum());
    }

    /** The host side: {@code push.sh} then {@code install.sh}, with the store's paths. */
    static String script(HostLayout layout) {
        return receiver(layout, Optional.empty()).text();
    }

    /**
     * The program that receives store paths: {@code push.sh} (checks the store, unpacks standard input under
     * {@code store/.incoming-*}), then {@code between} if given (the binary cache's fetch step), then
     * {@code install.sh} (verifies, seals, renames, keeps the meta lists), with {@code store} and {@code meta} set.
     * The caller gives {@code between}'s own parameters. Exit codes: {@link PushExit} plus {@code between}'s.
     */
    public static HostScript receiver(HostLayout layout, Optional<HostScript> between) {
        HostScript push = HostScript.load(ArtifactPusher.class, "push");
        HostScript install = HostScript.load(ArtifactPusher.class, "install");
        StringBuilder resource = new StringBuilder(push.resource());
        StringBuilder body = new StringBuilder(push.body());
        between.ifPresent(step -> {
            resource.append(" + ").append(step.resource());
            body.append(step.body());
        });
        resource.append(" + ").append(install.resource());
        body.append(install.body());
        return HostScript.of(resource.toString(), body.toString()).with("store", layout.store())
                .with("meta", layout.meta());
    }

    private static CommandResult run(HostConnection connection, HostLayout layout, List<PathDelta> deltas,
                                     Set<StorePath> repairs, TransferProgress progress) {
        try {
            return connection.run(script(layout), out -> writeStream(out, deltas, repairs, connection.hostName(),
                    progress));
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "transfer", e.getMessage(), e);
        }
    }

    /** The script's standard input: one tar of every path's lists, then the entries that cross the wire. */
    static void writeStream(OutputStream out, List<PathDelta> deltas, String host, TransferProgress progress)
            throws IOException {
        writeStream(out, deltas, Set.of(), host, progress);
    }

    /** As above; the paths in {@code repairs} are marked to replace the host's damaged copies. */
    static void writeStream(OutputStream out, List<PathDelta> deltas, Set<StorePath> repairs, String host,
                            TransferProgress progress) throws IOException {
        long totalBytes = deltas.stream().mapToLong(PathDelta::bytesToSend).sum();
        int totalFiles = deltas.stream().mapToInt(PathDelta::filesToSend).sum();
        AtomicLong contentBytes = new AtomicLong();
        int files = 0;
        try (TarArchiveOutputStream tar = tar(out)) {
            writeLists(tar, deltas, repairs);
            for (PathDelta delta : deltas) {
                String name = delta.artifact().storePath().toString();
                for (TreeEntry entry : delta.send()) {
                    writeEntry(tar, name, entry, delta.artifact(), contentBytes);
                    if (entry.kind() == TreeEntry.Kind.FILE) {
                        files++;
                        progress.update(host, contentBytes.get(), totalBytes, files, totalFiles);
                    }
                }
            }
            tar.finish();
        }
    }

    /**
     * A tar for the host's GNU tar: names are the exact bytes (ISO-8859-1, one char per byte) with GNU long-name
     * records, never PAX {@code path} records, which GNU tar would convert from UTF-8 to the host's locale.
     */
    public static TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.ISO_8859_1.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    /**
     * The {@code .verify/} part of a stream {@code push.sh} + {@code install.sh} read (see {@code push.sh} for the
     * format): every path's lists and seal step, and {@code .verify/paths}. Shared with the binary cache, so a
     * substituted path is checked against exactly the lists a pushed one is.
     */
    public static void writeLists(TarArchiveOutputStream tar, List<PathDelta> deltas) throws IOException {
        writeLists(tar, deltas, java.util.Set.of());
    }

    /**
     * As above; a path in {@code repairs} is one the host has but that failed its check: install.sh receives it whole
     * and swaps it in for the damaged copy (REPAIR 1 on its line of {@code .verify/paths}).
     */
    public static void writeLists(TarArchiveOutputStream tar, List<PathDelta> deltas,
                                  java.util.Set<StorePath> repairs) throws IOException {
        writeDirectory(tar, ".verify");
        StringBuilder paths = new StringBuilder();
        for (PathDelta delta : deltas) {
            Artifact artifact = delta.artifact();
            String name = artifact.storePath().toString();
            paths.append(name).append(' ').append(delta.base().map(StorePath::toString).orElse("-")).append(' ')
                    .append(artifact.seal().isPresent() ? "1" : "0").append(' ')
                    .append(repairs.contains(artifact.storePath()) ? "1" : "0").append('\n');
            writeBytes(tar, ".verify/" + name + ".list.gz",
                    VerificationLists.gzip(VerificationLists.entryList(artifact.tree())));
            writeBytes(tar, ".verify/" + name + ".files.gz",
                    VerificationLists.gzip(VerificationLists.filePaths(artifact.tree())));
            writeBytes(tar, ".verify/" + name + ".sums.gz",
                    VerificationLists.gzip(VerificationLists.checksums(artifact.tree())));
            writeBytes(tar, ".verify/" + name + ".dirs.gz",
                    VerificationLists.gzip(VerificationLists.nulSeparated(delta.directories())));
            if (delta.base().isPresent()) {
                writeBytes(tar, ".verify/" + name + ".links.gz",
                        VerificationLists.gzip(VerificationLists.nulSeparated(delta.links())));
            }
            if (artifact.seal().isPresent()) {
                writeBytes(tar, ".verify/" + name + ".seal",
                        (artifact.seal().get() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        writeBytes(tar, ".verify/paths", paths.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** A symlink entry {@code STOREPATH/PATH -> TARGET}, both as their exact bytes. */
    public static void writeSymlink(TarArchiveOutputStream tar, StorePath storePath, TreeEntry entry)
            throws IOException {
        TarArchiveEntry link = new TarArchiveEntry(storePath + "/" + raw(entry.pathBytes()), TarArchiveEntry.LF_SYMLINK);
        link.setLinkName(raw(entry.linkTargetBytes()));
        link.setMode(0120777);
        link.setModTime(MTIME);
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
    }

    /** A hard link entry {@code STOREPATH/PATH} to {@code target} (relative to where the tar is unpacked). */
    public static void writeHardLink(TarArchiveOutputStream tar, StorePath storePath, TreeEntry file, String target)
            throws IOException {
        TarArchiveEntry link = new TarArchiveEntry(storePath + "/" + raw(file.pathBytes()), TarArchiveEntry.LF_LINK);
        link.setLinkName(target);
        link.setMode(0100000 | file.mode());
        link.setModTime(MTIME);
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
    }

    /** {@code bytes} as the archive's ISO-8859-1 encoding writes them back: one char per byte. */
    private static String raw(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void writeEntry(TarArchiveOutputStream tar, String storePath, TreeEntry entry, Artifact artifact,
                                   AtomicLong contentBytes) throws IOException {
        String name = storePath + "/" + raw(entry.pathBytes());
        switch (entry.kind()) {
            case DIRECTORY -> writeDirectory(tar, name);
            case SYMLINK -> writeSymlink(tar, artifact.storePath(), entry);
            case FILE -> {
                TarArchiveEntry file = new TarArchiveEntry(name);
                file.setSize(entry.size());
                file.setMode(0100000 | entry.mode());
                file.setModTime(MTIME);
                tar.putArchiveEntry(file);
                try (InputStream in = artifact.contents().open(entry)) {
                    long copied = 0;
                    byte[] buffer = new byte[64 * 1024];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        tar.write(buffer, 0, n);
                        copied += n;
                        contentBytes.addAndGet(n);
                    }
                    if (copied != entry.size()) {
                        throw new IOException(dev.deploy.store.FileNames.display(entry.path())
                                + " changed on disk while it was being sent (" + copied + " bytes, planned "
                                + entry.size() + "); run the plan again");
                    }
                }
                tar.closeArchiveEntry();
            }
        }
    }

    /** A directory {@code name} (mode 755). */
    public static void writeDirectory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry dir = new TarArchiveEntry(name + "/");
        dir.setMode(040755);
        dir.setModTime(MTIME);
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
    }

    /** A regular file {@code name} (mode 644) holding {@code bytes}. */
    public static void writeBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        entry.setModTime(MTIME);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
