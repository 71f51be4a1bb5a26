package dev.deploy.transfer;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Pushes store paths a host lacks in one round trip: a tar stream of every missing artifact plus verification lists
 * goes to the host's {@code tar}, which unpacks under {@code store/.incoming-*}. The host checks each path's entries,
 * modes and SHA-256 sums, and only then renames it to its final name and makes it read-only. A cut stream leaves
 * only the incoming directory, which the next locked run removes.
 */
public final class ArtifactPusher {

    private ArtifactPusher() {
    }

    public static TransferResult push(HostConnection connection, HostLayout layout, List<Artifact> artifacts,
                                      TransferProgress progress) {
        if (artifacts.isEmpty()) {
            return TransferResult.NOTHING;
        }
        ShellScript script = ShellScript.strict()
                .let("store", layout.store())
                .raw("mkdir -p \"$store\"")
                // Leftovers of cut transfers; safe to remove because the caller holds the host lock.
                .raw("for d in \"$store\"/.incoming-*; do if [ -e \"$d\" ]; then chmod -R u+w \"$d\"; rm -rf \"$d\"; fi; done")
                .raw("tmp=$(mktemp -d \"$store/.incoming-XXXXXXXX\")")
                .raw("trap 'chmod -R u+w \"$tmp\" 2>/dev/null; rm -rf \"$tmp\"' EXIT")
                .raw("tar -x -p --no-same-owner -f - -C \"$tmp\"");
        for (Artifact artifact : artifacts) {
            String name = artifact.storePath().toString();
            script.let("sp", name)
                    .raw("if [ ! -e \"$store/$sp\" ]; then")
                    .raw("  mkdir -p \"$tmp/$sp\"")
                    .raw("  (cd \"$tmp/$sp\" && find . -mindepth 1 \\( -type l -printf 'l %m %P -> %l\\n' \\)"
                            + " -o \\( -type d -printf 'd %m %P\\n' \\) -o \\( -type f -printf 'f %m %P\\n' \\)"
                            + " -o -printf '? %m %P\\n') | LC_ALL=C sort > \"$tmp/.verify/$sp.found\"")
                    .raw("  LC_ALL=C sort \"$tmp/.verify/$sp.list\" | cmp -s - \"$tmp/.verify/$sp.found\""
                            + " || { echo \"store path $sp: received entries or modes differ from the plan\" >&2; exit 3; }")
                    .raw("  if [ -s \"$tmp/.verify/$sp.sha256\" ]; then (cd \"$tmp/$sp\" && sha256sum --quiet --strict"
                            + " -c \"$tmp/.verify/$sp.sha256\" >&2) || { echo \"store path $sp: content does not match"
                            + " its hash\" >&2; exit 3; }; fi")
                    .raw(artifact.seal().map(seal -> "  (final=\"$store/$sp\"; cd \"$tmp/$sp\" && " + seal
                            + ") >&2 || { echo \"store path $sp: sealing step failed\" >&2; exit 3; }").orElse(":"))
                    .raw("  mv -T \"$tmp/$sp\" \"$store/$sp\"")
                    .raw("  chmod -R a-w \"$store/$sp\"")
                    .raw("fi");
        }

        long totalBytes = artifacts.stream().mapToLong(a -> a.tree().totalBytes()).sum();
        int totalFiles = artifacts.stream().mapToInt(a -> a.tree().fileCount()).sum();
        AtomicLong contentBytes = new AtomicLong();
        int[] files = {0};
        String host = connection.hostName();
        CommandResult result;
        try {
            result = connection.run(script.text(), out -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    writeDirectory(tar, ".verify");
                    for (Artifact artifact : artifacts) {
                        String name = artifact.storePath().toString();
                        writeText(tar, ".verify/" + name + ".list", VerificationLists.entryList(artifact.tree()));
                        writeText(tar, ".verify/" + name + ".sha256", VerificationLists.checksums(artifact.tree()));
                    }
                    for (Artifact artifact : artifacts) {
                        String name = artifact.storePath().toString();
                        writeDirectory(tar, name);
                        for (TreeEntry entry : artifact.tree().entries()) {
                            writeEntry(tar, name + "/" + entry.path(), entry, artifact, contentBytes);
                            if (entry.kind() == TreeEntry.Kind.FILE) {
                                files[0]++;
                                progress.update(host, contentBytes.get(), totalBytes, files[0], totalFiles);
                            }
                        }
                    }
                    tar.finish();
                }
            });
        } catch (IOException e) {
            throw DeployException.host(host, "transfer", e.getMessage(), e);
        }
        if (!result.ok()) {
            throw DeployException.host(host, "transfer", result.lastErrorLine());
        }
        return new TransferResult(artifacts.size(), files[0], contentBytes.get());
    }

    private static void writeEntry(TarArchiveOutputStream tar, String name, TreeEntry entry, Artifact artifact,
                                   AtomicLong contentBytes) throws IOException {
        switch (entry.kind()) {
            case DIRECTORY -> writeDirectory(tar, name);
            case SYMLINK -> {
                TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(entry.linkTarget());
                link.setMode(0120777);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            case FILE -> {
                TarArchiveEntry file = new TarArchiveEntry(name);
                file.setSize(entry.size());
                file.setMode(0100000 | entry.mode());
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
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
    }

    private static void writeText(TarArchiveOutputStream tar, String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
