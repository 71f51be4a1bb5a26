package dev.deploy.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One entry of a file tree as the store sees it: a path relative to the tree's root ({@code /}-separated), its
 * kind, and for files the executable bit, size and SHA-256 of the contents. Owners, mtimes and other mode bits are
 * not part of an artifact.
 *
 * <p>Paths and link targets are bytes, held as {@link FileNames} strings: any byte but NUL (and {@code /} inside a
 * name) is allowed, including newlines, backslashes and bytes that are not UTF-8; {@link #pathBytes()} and
 * {@link #linkTargetBytes()} give the exact bytes the host gets.
 */
public record TreeEntry(String path, Kind kind, boolean executable, long size, String sha256, String linkTarget) {

    /** Entry kinds; a closed set so that canonical serialization covers every case. */
    public enum Kind { DIRECTORY, FILE, SYMLINK }

    public static TreeEntry directory(String path) {
        return new TreeEntry(path, Kind.DIRECTORY, false, 0, null, null);
    }

    public static TreeEntry file(String path, boolean executable, long size, String sha256) {
        return new TreeEntry(path, Kind.FILE, executable, size, sha256, null);
    }

    public static TreeEntry symlink(String path, String target) {
        return new TreeEntry(path, Kind.SYMLINK, false, 0, null, target);
    }

    /** Permission bits the entry has in a sealed store path. */
    public int mode() {
        return switch (kind) {
            case DIRECTORY -> 0755;
            case FILE -> executable ? 0755 : 0644;
            case SYMLINK -> 0777;
        };
    }

    /** The path's bytes on the host. */
    public byte[] pathBytes() {
        return FileNames.encode(path);
    }

    /** A symlink's target bytes, or null for other kinds. */
    public byte[] linkTargetBytes() {
        return linkTarget == null ? null : FileNames.encode(linkTarget);
    }

    /**
     * The entry's canonical bytes. A path and target without a newline keep the original line form
     * ({@code d PATH}, {@code f x|- SIZE SHA256 PATH}, {@code l PATH} + {@code > TARGET}), so trees hashed before
     * names became bytes hash the same; an entry whose path or target has a newline uses an upper-case kind letter and
     * length-prefixed fields ({@code D 5:a\nb.}, {@code F - SIZE SHA256 N:PATH}, {@code L N:PATH M:TARGET}), which no
     * line of the first form can be confused with.
     */
    void canonical(ByteArrayOutputStream out) {
        byte[] path = pathBytes();
        byte[] target = linkTargetBytes();
        boolean framed = contains(path, (byte) '\n') || (target != null && contains(target, (byte) '\n'));
        switch (kind) {
            case DIRECTORY -> {
                ascii(out, framed ? "D " : "d ");
                field(out, path, framed);
            }
            case FILE -> {
                ascii(out, (framed ? "F " : "f ") + (executable ? "x" : "-") + " " + size + " " + sha256 + " ");
                field(out, path, framed);
            }
            case SYMLINK -> {
                ascii(out, framed ? "L " : "l ");
                field(out, path, framed);
                ascii(out, framed ? " " : "\n> ");
                field(out, target, framed);
            }
        }
        out.write('\n');
    }

    private static void field(ByteArrayOutputStream out, byte[] bytes, boolean framed) {
        if (framed) {
            ascii(out, bytes.length + ":");
        }
        out.writeBytes(bytes);
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }
}
