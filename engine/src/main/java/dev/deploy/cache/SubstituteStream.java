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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The standard input of the substitution program ({@code push.sh}, {@code substitute.sh}, {@code install.sh}): one
 * tar with, per store path, exactly the push's {@code .verify/} lists and seal step (written by
 * {@link ArtifactPusher#writeLists}: entries, file paths, SHA-256 sums, directories, links from a base); the fetch list
 * ({@code SHA256 SIZE URL} lines, gzip; SIZE: the content's bytes, which bound what the host accepts), the executable objects, the probe URL; {@code copies} (the object copies a file
 * with an already placed content needs: each file its own inode); {@code place.tar.gz}, whose hard links put each
 * fetched object at its paths (gzip: a tar header is 512 bytes, mostly zeros); and the symlinks
 * themselves. No file content crosses the SSH connection.
 */
final class SubstituteStream {

    /** What a presigned URL may contain: it becomes a quoted curl config value and a shell word on the host. */
    /** A placement that is a copy: {@code SHA256[.x].N}; group 1 is the object file it copies. */
    private static final Pattern COPY = Pattern.compile("([0-9a-f]{64}(?:\\.x)?)\\.[0-9]+");
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
            List<String> placements = plan.placements();
            ArtifactPusher.writeBytes(tar, ".verify/place.tar.gz", VerificationLists.gzip(placements(plan, placements)));
            ArtifactPusher.writeBytes(tar, ".verify/copies", copies(placements));
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
     * A tar of hard links {@code <store path>/<file> -> .objects/<placement>} ({@link FetchPlan#placements}, one
     * object file per placed file), extracted in the incoming directory; names as their exact bytes, like the push's
     * entries.
     */
    static byte[] placements(FetchPlan plan, List<String> placements) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Iterator<String> next = placements.iterator();
        try (TarArchiveOutputStream tar = ArtifactPusher.tar(bytes)) {
            for (PathDelta delta : plan.deltas()) {
                for (TreeEntry entry : delta.send()) {
                    if (entry.kind() == TreeEntry.Kind.FILE) {
                        ArtifactPusher.writeHardLink(tar, delta.artifact().storePath(), entry,
                                ".objects/" + next.next());
                    }
                }
            }
            tar.finish();
        }
        return bytes.toByteArray();
    }

    /** {@code FIRST COPY} lines: the object files the host copies before placing (a second file with one content). */
    static byte[] copies(List<String> placements) {
        StringBuilder out = new StringBuilder();
        for (String placement : placements) {
            Matcher copy = COPY.matcher(placement);
            if (copy.matches()) {
                out.append(copy.group(1)).append(' ').append(placement).append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
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
