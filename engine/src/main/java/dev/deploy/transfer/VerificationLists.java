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
 * The lists the host checks a received store path against before giving it its final name ({@code push.sh}), all
 * byte-exact ({@link TreeEntry#pathBytes()}): every entry with its kind and mode, NUL-terminated and compared with
 * {@code find -printf} output ({@code d 755 PATH}, {@code f 444 PATH} / {@code f 555 PATH},
 * {@code l 777 PATH//TARGET}: a tree path never contains {@code //}, so the first one ends it); the files' paths and,
 * in the same order, their SHA-256 sums (compared with what {@code sha256sum} computes, never parsed back from a
 * name). Files are listed read-only, as the host has them when it verifies (it makes every file read-only first).
 * Together the entry and sum lists are the store path's meta list, which the host keeps for later deltas
 * ({@link MetaList}) and checks live store paths against ({@code plan/drift.sh}).
 */
public final class VerificationLists {

    private VerificationLists() {
    }

    /** NUL-terminated entry records in tree order. */
    public static byte[] entryList(Tree tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TreeEntry entry : tree.entries()) {
            switch (entry.kind()) {
                case DIRECTORY -> ascii(out, "d 755 ");
                case FILE -> ascii(out, entry.executable() ? "f 555 " : "f 444 ");
                case SYMLINK -> ascii(out, "l 777 ");
            }
            out.writeBytes(entry.pathBytes());
            if (entry.kind() == TreeEntry.Kind.SYMLINK) {
                ascii(out, "//");
                out.writeBytes(entry.linkTargetBytes());
            }
            out.write(0);
        }
        return out.toByteArray();
    }

    /** {@code ./PATH} of every file, NUL-terminated, in tree order (the order of {@link #checksums}). */
    public static byte[] filePaths(Tree tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE) {
                ascii(out, "./");
                out.writeBytes(entry.pathBytes());
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    /** The SHA-256 of every file, one hex line each, in tree order. */
    public static byte[] checksums(Tree tree) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE) {
                ascii(out, entry.sha256() + "\n");
            }
        }
        return out.toByteArray();
    }

    /** Paths separated (and ended) by NUL bytes, for {@code xargs -0}: tree paths cannot contain NUL. */
    public static byte[] nulSeparated(List<String> paths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String path : paths) {
            out.writeBytes(dev.deploy.store.FileNames.encode(path));
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

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
