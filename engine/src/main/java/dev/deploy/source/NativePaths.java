package dev.deploy.source;

import dev.deploy.store.FileNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of controller-side paths, whatever the JVM's locale. {@code java.nio} keeps a Unix path's bytes exactly
 * (a {@link Path} from a directory listing or {@code readlink} is built from them) but turns them into a
 * {@link String} with {@code sun.jnu.encoding}: under {@code LANG=C} that is ASCII, so {@code Ärger.txt} reads as
 * {@code ??rger.txt} and the string cannot be turned back into a path ({@code InvalidPathException: Malformed
 * input}); under UTF-8, {@code caf\xe9.txt} reads as {@code caf\uFFFD.txt}. The one public, byte-exact view of a
 * path is its {@code file:} URI (every byte outside the URI alphabet percent-escaped, RFC 8089) and back
 * ({@link Path#of(URI)}), which this class uses whenever a name is not plain ASCII (or valid UTF-8 under a UTF-8
 * {@code sun.jnu.encoding}); names come out as {@link FileNames} strings.
 */
final class NativePaths {

    private static final boolean JNU_UTF8 = jnuIsUtf8();

    private NativePaths() {
    }

    /** The name (last component) of {@code path}, e.g. a directory stream's entry. */
    static String name(Path path) throws IOException {
        Path fileName = path.getFileName();
        String shown = fileName == null ? "" : fileName.toString();
        if (exact(shown)) {
            return shown;
        }
        byte[] bytes = bytes(path);
        int slash = bytes.length - 1;
        while (slash >= 0 && bytes[slash] != '/') {
            slash--;
        }
        return FileNames.decode(bytes, slash + 1, bytes.length - slash - 1);
    }

    /** The target of symlink {@code link}, byte for byte (relative or absolute, slashes as stored). */
    static String linkTarget(Path link) throws IOException {
        Path target = Files.readSymbolicLink(link);
        String shown = target.toString();
        return exact(shown) ? shown : FileNames.decode(bytes(target));
    }

    /** The path {@code relative} (a tree path, {@code /}-separated) names under {@code base}. */
    static Path resolve(Path base, String relative) {
        if (exact(relative)) {
            return base.resolve(relative);
        }
        byte[] prefix = bytes(base.toAbsolutePath());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(prefix);
        if (prefix.length == 0 || prefix[prefix.length - 1] != '/') {
            all.write('/');
        }
        all.writeBytes(FileNames.encode(relative));
        return fromBytes(all.toByteArray());
    }

    /** The absolute path a {@link FileNames} string names ({@link #text}'s inverse). */
    static Path path(String absolute) {
        return exact(absolute) ? Path.of(absolute) : fromBytes(FileNames.encode(absolute));
    }

    /** {@code path}'s bytes as a {@link FileNames} string: lossless, unlike {@link Path#toString()}. */
    static String text(Path path) {
        return FileNames.decode(bytes(path));
    }

    /** An absolute path with exactly {@code absolute}'s bytes. */
    static Path fromBytes(byte[] absolute) {
        StringBuilder uri = new StringBuilder("file://");
        for (byte b : absolute) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/-._~".indexOf(c) >= 0) {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        try {
            return Path.of(new URI(uri.toString()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes of {@code path} as the operating system has them. */
    static byte[] bytes(Path path) {
        String shown = path.toString();
        if (exact(shown)) {
            return FileNames.encode(shown);
        }
        boolean relative = !path.isAbsolute();
        Path absolute = relative ? Path.of("/").resolve(path) : path;
        String raw = absolute.toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        int from = relative ? 1 : 0;
        int to = bytes.length;
        // toUri() appends a slash to a directory's path (by a stat): not part of the name
        if (!shown.endsWith("/") && to - from > 1 && bytes[to - 1] == '/') {
            to--;
        }
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    /**
     * Whether {@code shown} (a path string from {@code java.nio}) is exactly its bytes: plain ASCII always, valid
     * UTF-8 when the JVM decodes names as UTF-8 (then only a replacement character means lost bytes).
     */
    private static boolean exact(String shown) {
        boolean ascii = true;
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c >= 0x80) {
                ascii = false;
                if (c == '\uFFFD' || Character.isSurrogate(c) && !JNU_UTF8) {
                    return false;
                }
            }
        }
        return ascii || JNU_UTF8 && !FileNames.hasRawBytes(shown);
    }

    private static boolean jnuIsUtf8() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "")).equals(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
