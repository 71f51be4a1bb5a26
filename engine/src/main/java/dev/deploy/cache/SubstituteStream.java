package dev.deploy.cache;

import dev.deploy.store.Artifact;
import dev.deploy.store.TreeEntry;
import dev.deploy.transfer.PathDelta;
import dev.deploy.transfer.VerificationLists;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The standard input of {@code substitute.sh}: one tar with, per store path, the push's verification lists
 * ({@link VerificationLists}: entries and modes, checksums, directories, links from a base) and its seal step; the
 * fetch list ({@code SHA256 URL} lines, gzip), the executable objects, the probe URL; {@code place.tar.gz}, whose
 * hard links put each fetched object at its paths (gzip: a tar header is 512 bytes, mostly zeros); and the symlinks
 * themselves. No file content crosses the SSH connection.
 */
final class SubstituteStream {

    /** What a presigned URL may contain: it becomes a quoted curl config value and a shell word on the host. */
    static final Pattern SAFE_URL = Pattern.compile("https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%\\[\\]-]+");

    private static final FileTime MTIME = FileTime.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    private SubstituteStream() {
    }

    static void write(OutputStream out, FetchPlan plan, Map<String, URI> urls, URI probe) throws IOException {
        try (TarArchiveOutputStream tar = tar(out)) {
            directory(tar, ".verify");
            StringBuilder paths = new StringBuilder();
            for (PathDelta delta : plan.deltas()) {
                Artifact artifact = delta.artifact();
                String name = artifact.storePath().toString();
                paths.append(name).append(' ').append(delta.base().map(Object::toString).orElse("-")).append('\n');
                bytes(tar, ".verify/" + name + ".list.gz",
                        VerificationLists.gzip(VerificationLists.entryList(artifact.tree())));
                bytes(tar, ".verify/" + name + ".sha256.gz",
                        VerificationLists.gzip(VerificationLists.checksums(artifact.tree())));
                bytes(tar, ".verify/" + name + ".dirs.gz",
                        VerificationLists.gzip(VerificationLists.nulSeparated(delta.directories())));
                if (delta.base().isPresent()) {
                    bytes(tar, ".verify/" + name + ".links.gz",
                            VerificationLists.gzip(VerificationLists.nulSeparated(delta.links())));
                }
                if (artifact.seal().isPresent()) {
                    bytes(tar, ".verify/" + name + ".seal", artifact.seal().get().getBytes(StandardCharsets.UTF_8));
                }
            }
            bytes(tar, ".verify/paths", paths.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder fetch = new StringBuilder();
            for (String sha : plan.objects().keySet()) {
                fetch.append(sha).append(' ').append(checked(urls.get(sha))).append('\n');
            }
            bytes(tar, ".verify/fetch.gz", VerificationLists.gzip(fetch.toString()));
            bytes(tar, ".verify/exec", lines(plan.executable()));
            bytes(tar, ".verify/probe", (checked(probe) + "\n").getBytes(StandardCharsets.US_ASCII));
            bytes(tar, ".verify/place.tar.gz", VerificationLists.gzip(placements(plan)));
            for (PathDelta delta : plan.deltas()) {
                for (TreeEntry entry : delta.send()) {
                    if (entry.kind() == TreeEntry.Kind.SYMLINK) {
                        TarArchiveEntry link = new TarArchiveEntry(delta.artifact().storePath() + "/" + entry.path(),
                                TarArchiveEntry.LF_SYMLINK);
                        link.setLinkName(entry.linkTarget());
                        link.setMode(0120777);
                        link.setModTime(MTIME);
                        tar.putArchiveEntry(link);
                        tar.closeArchiveEntry();
                    }
                }
            }
            tar.finish();
        }
    }

    /** A tar of hard links {@code <store path>/<file> -> .objects/<sha256>[.x]}, extracted in the incoming directory. */
    static byte[] placements(FetchPlan plan) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = tar(bytes)) {
            for (PathDelta delta : plan.deltas()) {
                for (TreeEntry entry : delta.send()) {
                    if (entry.kind() == TreeEntry.Kind.FILE) {
                        TarArchiveEntry link = new TarArchiveEntry(delta.artifact().storePath() + "/" + entry.path(),
                                TarArchiveEntry.LF_LINK);
                        link.setLinkName(FetchPlan.placement(entry));
                        link.setMode(0100000 | entry.mode());
                        link.setModTime(MTIME);
                        tar.putArchiveEntry(link);
                        tar.closeArchiveEntry();
                    }
                }
            }
            tar.finish();
        }
        return bytes.toByteArray();
    }

    private static String checked(URI url) {
        if (url == null) {
            throw new IllegalStateException("no presigned URL for an object to fetch");
        }
        String text = url.toASCIIString();
        if (!SAFE_URL.matcher(text).matches()) {
            throw new IllegalStateException("a presigned URL has characters that cannot be passed on: " + text);
        }
        return text;
    }

    private static byte[] lines(Iterable<String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach(v -> out.append(v).append('\n'));
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry dir = new TarArchiveEntry(name + "/");
        dir.setMode(040755);
        dir.setModTime(MTIME);
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        entry.setModTime(MTIME);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
