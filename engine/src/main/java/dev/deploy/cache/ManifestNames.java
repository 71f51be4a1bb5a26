package dev.deploy.cache;

import java.io.ByteArrayOutputStream;
import dev.deploy.store.FileNames;

/**
 * How names (paths and symlink targets) are written in a cache manifest: their bytes, with every byte outside
 * {@code A-Z a-z 0-9 - . _ ~ /} and {@code +} written as {@code %XX} (upper-case hex), as RFC 3986 percent-encoding
 * does. Any byte sequence survives the round trip, including bytes that are not UTF-8, and the JSON stays ASCII.
 */
final class ManifestNames {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ManifestNames() {
    }

    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/' || c == '+') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException on a character that should have been escaped or a bad escape */
    static byte[] decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("cut escape in " + text);
                }
                int high = Character.digit(text.charAt(i + 1), 16);
                int low = Character.digit(text.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("bad escape in " + text);
                }
                out.write(high << 4 | low);
                i += 2;
            } else if (c > 0x20 && c < 0x7f && c != '%') {
                out.write(c);
            } else {
                throw new IllegalArgumentException("unescaped character in " + text);
            }
        }
        return out.toByteArray();
    }

    /** The name a tree keeps for {@code bytes} ({@link FileNames#decode}: lossless for any bytes). */
    static String text(byte[] bytes) {
        return FileNames.decode(bytes);
    }
}
