package dev.deploy.transfer;

import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The lists the host checks a received store path against before giving it its final name: every entry with its
 * kind and mode (compared with {@code find} output) and a {@code sha256sum -c} file for the contents. Files are
 * listed read-only ({@code 444}/{@code 555}), as the host has them when it verifies: files hard-linked from an
 * earlier store path are read-only inodes already, so every file is made read-only before the check. Directories
 * stay {@code 755} until the path has its final name. Together the two lists are the store path's meta list, which
 * the host keeps for later deltas ({@link MetaList}).
 */
public final class VerificationLists {

    private VerificationLists() {
    }

    /** Lines {@code d 755 path}, {@code f 444 path} (or 555), {@code l 777 path -> target}, in the order of the tree. */
    public static String entryList(Tree tree) {
        StringBuilder out = new StringBuilder();
        for (TreeEntry entry : tree.entries()) {
            switch (entry.kind()) {
                case DIRECTORY -> out.append("d 755 ").append(entry.path()).append('\n');
                case FILE -> out.append(entry.executable() ? "f 555 " : "f 444 ").append(entry.path()).append('\n');
                case SYMLINK -> out.append("l 777 ").append(entry.path()).append(" -> ").append(entry.linkTarget())
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** {@code sha256sum} check lines; names with a backslash use the escaped form sha256sum defines. */
    public static String checksums(Tree tree) {
        StringBuilder out = new StringBuilder();
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() != TreeEntry.Kind.FILE) {
                continue;
            }
            if (entry.path().contains("\\")) {
                out.append('\\').append(entry.sha256()).append("  ./").append(entry.path().replace("\\", "\\\\"));
            } else {
                out.append(entry.sha256()).append("  ./").append(entry.path());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Paths separated (and ended) by NUL bytes, for {@code xargs -0}: tree paths cannot contain NUL. */
    public static byte[] nulSeparated(List<String> paths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String path : paths) {
            out.writeBytes(path.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** {@code bytes} gzip-compressed: lists stay small on the wire whatever the file count. */
    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] gzip(String text) {
        return gzip(text.getBytes(StandardCharsets.UTF_8));
    }
}
