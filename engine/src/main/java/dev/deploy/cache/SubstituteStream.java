package dev.deploy.cache;

import dev.deploy.store.TreeEntry;
import dev.deploy.transfer.ArtifactPusher;
import dev.deploy.transfer.PathDelta;
import dev.deploy.transfer.VerificationLists;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The standard input of the substitution program ({@code push.sh}, {@code substitute.sh}, {@code install.sh}): one
 * tar with, per store path, exactly the push's {@code .verify/} lists and seal step (written by
 * {@link ArtifactPusher#writeLists}: entries, file paths, SHA-256 sums, directories, links from a base); the fetch list
 * ({@code SHA256 SIZE URL} lines, gzip; SIZE: the content's bytes, which bound what the host accepts), the executable objects, the probe URL; {@code place.tar.gz}, whose
 * hard links put each fetched object at its paths (gzip: a tar header is 512 bytes, mostly zeros); and the symlinks
 * themselves. No file content crosses the SSH connection.
 */
final class SubstituteStream {

    /** What a presigned URL may contain: it becomes a quoted curl config value and a shell word on the host. */
    static final Pattern SAFE_URL = Pattern.compile("https?://[A-Za-z0-9._~:/?#@!$&'()*+,;=%\\[\\]-]+");

    private SubstituteStream() {
    }

    static void write(OutputStream out, FetchPlan plan, Map<String, URI> urls, URI probe) throws IOException {
        try (TarArchiveOutputStream tar = ArtifactPusher.tar(out)) {
            ArtifactPusher.writeLists(tar, plan.deltas());
            StringBuilder fetch = new StringBuilder();
            for (String sha : plan.objects().keySet()) {
                fetch.append(sha).append(' ').append(plan.objects().get(sha)).append(' ')
                        .append(checked(urls.get(sha))).append('\n');
            }
            ArtifactPusher.writeBytes(tar, ".verify/fetch.gz", VerificationLists.gzip(fetch.toString()));
            ArtifactPusher.writeBytes(tar, ".verify/exec", lines(plan.executable()));
            ArtifactPusher.writeBytes(tar, ".verify/probe", (checked(probe) + "\n").getBytes(StandardCharsets.US_ASCII));
            ArtifactPusher.writeBytes(tar, ".verify/place.tar.gz", VerificationLists.gzip(placements(plan)));
            for (PathDelta delta : plan.deltas()) {
                for (TreeEntry entry : delta.send()) {
                    if (entry.kind() == TreeEntry.Kind.SYMLINK) {
                        ArtifactPusher.writeSymlink(tar, delta.artifact().storePath(), entry);
                    }
                }
            }
            tar.finish();
        }
    }

    /**
     * A tar of hard links {@code <store path>/<file> -> .objects/<sha256>[.x]}, extracted in the incoming directory;
     * names as their exact bytes, like the push's entries.
     */
    static byte[] placements(FetchPlan plan) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = ArtifactPusher.tar(bytes)) {
            for (PathDelta delta : plan.deltas()) {
                for (TreeEntry entry : delta.send()) {
                    if (entry.kind() == TreeEntry.Kind.FILE) {
                        ArtifactPusher.writeHardLink(tar, delta.artifact().storePath(), entry,
                                FetchPlan.placement(entry));
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
}
