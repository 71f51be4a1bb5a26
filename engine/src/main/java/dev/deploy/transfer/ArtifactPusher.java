package dev.deploy.transfer;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Pushes store paths a host lacks in one round trip: a tar stream goes to the host's {@code tar}, which unpacks
 * under {@code store/.incoming-*}. When the host has an earlier version of a path (a {@link DeltaBases delta base}
 * with a meta list), only files that differ from it cross the wire; the host hard-links the others from the base
 * with one {@code xargs cp -l} per path. The host then checks each path's entries, modes and SHA-256 sums, runs the
 * artifact's seal step, and only then renames it to its final name, makes it read-only and keeps its meta list in
 * {@code store/.meta/}. A cut stream leaves only the incoming directory, which the next locked run removes.
 */
public final class ArtifactPusher {

    /**
     * Whole seconds: an entry time with a fraction would cost a PAX header (1 kB) per entry. Store paths carry no
     * meaningful times anyway.
     */
    private static final FileTime MTIME = FileTime.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    /**
     * Exit code of the push script when a delta base vanished or linking from it failed (a file gone, too many links):
     * nothing got a final name, and the push is retried with everything sent.
     */
    private static final int BASE_GONE = 4;

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
        List<DeltaBases.Request> requests = DeltaBases.requests(plan.toAdd(), plan.desired().manifest(),
                plan.current(), plan.state().store());
        return push(connection, layout, plan.toAdd(), BaseFetcher.fetch(connection, layout, requests), progress);
    }

    /** Pushes {@code artifacts} whole. */
    public static TransferResult push(HostConnection connection, HostLayout layout, List<Artifact> artifacts,
                                      TransferProgress progress) {
        return push(connection, layout, artifacts, Map.of(), progress);
    }

    /** Pushes {@code artifacts}, each as a delta against its base in {@code bases} if it has one. */
    public static TransferResult push(HostConnection connection, HostLayout layout, List<Artifact> artifacts,
                                      Map<StorePath, BaseFetcher.Base> bases, TransferProgress progress) {
        if (artifacts.isEmpty()) {
            return TransferResult.NOTHING;
        }
        List<PathDelta> deltas = artifacts.stream()
                .map(a -> PathDelta.of(a, Optional.ofNullable(bases.get(a.storePath())))).toList();
        CommandResult result = run(connection, layout, deltas, progress);
        if (result.exitCode() == BASE_GONE && deltas.stream().anyMatch(d -> d.base().isPresent())) {
            deltas = artifacts.stream().map(a -> PathDelta.of(a, Optional.empty())).toList();
            result = run(connection, layout, deltas, progress);
        }
        if (!result.ok()) {
            throw DeployException.host(connection.hostName(), "transfer", result.lastErrorLine());
        }
        return new TransferResult(deltas.size(), deltas.stream().mapToInt(PathDelta::filesToSend).sum(),
                deltas.stream().mapToLong(PathDelta::bytesToSend).sum(),
                deltas.stream().mapToInt(d -> d.links().size()).sum(),
                deltas.stream().mapToLong(PathDelta::bytesReused).sum());
    }

    /** The host side: unpack, link from bases, verify, seal, rename, keep the meta list. */
    static String script(HostLayout layout, List<PathDelta> deltas) {
        ShellScript script = ShellScript.strict()
                .let("store", layout.store())
                .raw("meta=\"$store/.meta\"")
                .raw("mkdir -p \"$store\" \"$meta\"")
                // Leftovers of cut transfers; safe to remove because the caller holds the host lock. Only their
                // directories are made writable: their files may be hard links to sealed store paths.
                .raw("for d in \"$store\"/.incoming-*; do if [ -e \"$d\" ]; then"
                        + " find \"$d\" -type d -exec chmod u+w {} +; rm -rf \"$d\"; fi; done")
                .raw("tmp=$(mktemp -d \"$store/.incoming-XXXXXXXX\")")
                .raw("trap 'find \"$tmp\" -type d -exec chmod u+w {} + 2>/dev/null; rm -rf \"$tmp\"' EXIT")
                .raw("umask 022")
                .raw("tar -x -p --no-same-owner -f - -C \"$tmp\"")
                .raw("v=\"$tmp/.verify\"");
        for (PathDelta delta : deltas) {
            Artifact artifact = delta.artifact();
            script.let("sp", artifact.storePath().toString())
                    .raw("if [ ! -e \"$store/$sp\" ]; then")
                    .raw("  mkdir -p \"$tmp/$sp\"")
                    .raw("  (cd \"$tmp/$sp\" && gzip -dc \"$v/$sp.dirs.gz\" | xargs -0 -r mkdir -p --)");
            if (delta.base().isPresent()) {
                script.let("base", delta.base().get().toString())
                        .raw("  [ -d \"$store/$base\" ] || { echo \"store path $sp: its delta base $base is gone\" >&2;"
                                + " exit " + BASE_GONE + "; }")
                        // Hard links only: nothing is ever written through them into the (read-only) base.
                        .raw("  (cd \"$store/$base\" && gzip -dc \"$v/$sp.links.gz\""
                                + " | xargs -0 -r cp -l --parents -t \"$tmp/$sp\" --) >&2"
                                + " || { echo \"store path $sp: linking unchanged files from $base failed\" >&2; exit "
                                + BASE_GONE + "; }");
            }
            script.raw("  find \"$tmp/$sp\" -type f -perm /222 -exec chmod a-w {} +")
                    .raw("  (cd \"$tmp/$sp\" && find . -mindepth 1 \\( -type l -printf 'l %m %P -> %l\\n' \\)"
                            + " -o \\( -type d -printf 'd %m %P\\n' \\) -o \\( -type f -printf 'f %m %P\\n' \\)"
                            + " -o -printf '? %m %P\\n') | LC_ALL=C sort > \"$v/$sp.found\"")
                    .raw("  gzip -dc \"$v/$sp.list.gz\" | LC_ALL=C sort | cmp -s - \"$v/$sp.found\""
                            + " || { echo \"store path $sp: received entries or modes differ from the plan\" >&2; exit 3; }")
                    .raw("  gzip -dc \"$v/$sp.sha256.gz\" > \"$v/$sp.sha256\"")
                    .raw("  if [ -s \"$v/$sp.sha256\" ]; then (cd \"$tmp/$sp\" && sha256sum --quiet --strict"
                            + " -c \"$v/$sp.sha256\" >&2) || { echo \"store path $sp: content does not match"
                            + " its hash\" >&2; exit 3; }; fi")
                    .raw(artifact.seal().map(seal -> "  (final=\"$store/$sp\"; cd \"$tmp/$sp\" && " + seal
                            + ") >&2 || { echo \"store path $sp: sealing step failed\" >&2; exit 3; }").orElse("  :"))
                    .raw("  mv -T \"$tmp/$sp\" \"$store/$sp\"")
                    .raw("  chmod -R a-w \"$store/$sp\"")
                    // Without its meta list a path only cannot serve as a delta base: not worth failing for.
                    .raw("  { cat \"$v/$sp.list.gz\" \"$v/$sp.sha256.gz\" > \"$v/$sp.meta\""
                            + " && mv -f \"$v/$sp.meta\" \"$meta/$sp\"; } || :")
                    .raw("fi");
        }
        return script.text();
    }

    private static CommandResult run(HostConnection connection, HostLayout layout, List<PathDelta> deltas,
                                     TransferProgress progress) {
        try {
            return connection.run(script(layout, deltas),
                    out -> writeStream(out, deltas, connection.hostName(), progress));
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "transfer", e.getMessage(), e);
        }
    }

    /** The script's standard input: one tar of every path's lists, then the entries that cross the wire. */
    static void writeStream(OutputStream out, List<PathDelta> deltas, String host, TransferProgress progress)
            throws IOException {
        long totalBytes = deltas.stream().mapToLong(PathDelta::bytesToSend).sum();
        int totalFiles = deltas.stream().mapToInt(PathDelta::filesToSend).sum();
        AtomicLong contentBytes = new AtomicLong();
        int files = 0;
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            writeDirectory(tar, ".verify");
            for (PathDelta delta : deltas) {
                String name = delta.artifact().storePath().toString();
                writeBytes(tar, ".verify/" + name + ".list.gz",
                        VerificationLists.gzip(VerificationLists.entryList(delta.artifact().tree())));
                writeBytes(tar, ".verify/" + name + ".sha256.gz",
                        VerificationLists.gzip(VerificationLists.checksums(delta.artifact().tree())));
                writeBytes(tar, ".verify/" + name + ".dirs.gz",
                        VerificationLists.gzip(VerificationLists.nulSeparated(delta.directories())));
                if (delta.base().isPresent()) {
                    writeBytes(tar, ".verify/" + name + ".links.gz",
                            VerificationLists.gzip(VerificationLists.nulSeparated(delta.links())));
                }
            }
            for (PathDelta delta : deltas) {
                String name = delta.artifact().storePath().toString();
                for (TreeEntry entry : delta.send()) {
                    writeEntry(tar, name + "/" + entry.path(), entry, delta.artifact(), contentBytes);
                    if (entry.kind() == TreeEntry.Kind.FILE) {
                        files++;
                        progress.update(host, contentBytes.get(), totalBytes, files, totalFiles);
                    }
                }
            }
            tar.finish();
        }
    }

    private static void writeEntry(TarArchiveOutputStream tar, String name, TreeEntry entry, Artifact artifact,
                                   AtomicLong contentBytes) throws IOException {
        switch (entry.kind()) {
            case DIRECTORY -> writeDirectory(tar, name);
            case SYMLINK -> {
                TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(entry.linkTarget());
                link.setMode(0120777);
                link.setModTime(MTIME);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
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
                        throw new IOException(entry.path() + " changed on disk while it was being sent ("
                                + copied + " bytes, planned " + entry.size() + "); run the plan again");
                    }
                }
                tar.closeArchiveEntry();
            }
        }
    }

    private static void writeDirectory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry dir = new TarArchiveEntry(name + "/");
        dir.setMode(040755);
        dir.setModTime(MTIME);
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
    }

    private static void writeBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        entry.setModTime(MTIME);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
