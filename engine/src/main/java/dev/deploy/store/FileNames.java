package dev.deploy.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * File names are bytes: on Linux a name is any sequence of bytes but {@code /} and NUL, and a symlink target any
 * sequence but NUL. This class is the one lossless mapping between such bytes and the {@link String}s the store
 * uses ({@link TreeEntry#path()}, {@link TreeEntry#linkTarget()}), following Python's "surrogateescape" error handler
 * (PEP 383, https://peps.python.org/pep-0383/):
 * <ul>
 *   <li>{@link #decode}: every well-formed UTF-8 sequence becomes its character; every byte {@code b} (0x80-0xFF) of
 *       a sequence that is not well-formed UTF-8 becomes the lone surrogate {@code U+DC00 + b}, so
 *       {@code caf\xe9.txt} is {@code "caf\uDCE9.txt"};</li>
 *   <li>{@link #encode}: the inverse; a valid surrogate pair is one character, a lone surrogate {@code U+DC80}-
 *       {@code U+DCFF} is its byte, any other lone surrogate cannot be encoded.</li>
 * </ul>
 * {@code encode(decode(b))} equals {@code b} for every byte array, and for names that are valid UTF-8 (all names
 * before this mapping existed) {@code encode} is plain UTF-8, so their tree hashes did not change. Nothing here
 * depends on the JVM's locale, {@code file.encoding} or {@code sun.jnu.encoding}.
 */
public final class FileNames {

    private FileNames() {
    }

    /** The name for {@code bytes} (never fails; see the class comment). */
    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static String decode(byte[] bytes, int offset, int length) {
        if (isAscii(bytes, offset, length)) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                break;
            }
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    int b = in.get() & 0xff;
                    out.put(b < 0x80 ? (char) b : (char) (0xDC00 + b));
                }
            } else {
                throw new IllegalStateException("output buffer overflow while decoding a name");
            }
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    /**
     * The bytes of {@code name}.
     *
     * @throws IllegalArgumentException when {@code name} holds a lone surrogate outside {@code U+DC80}-{@code U+DCFF}
     *                                  (no byte sequence decodes to it)
     */
    public static byte[] encode(String name) {
        if (isAscii(name)) {
            return name.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 16);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                out.writeBytes(name.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (c >= 0xDC80 && c <= 0xDCFF) {
                out.write(c - 0xDC00);
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("not a file name: lone surrogate U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " in " + display(name));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** Whether {@code name} has bytes that are not UTF-8 (written as escapes by {@link #decode}). */
    public static boolean hasRawBytes(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code name} for messages: raw bytes as {@code \xNN}, everything else as is (control characters are escaped by
     * {@link dev.deploy.DeployException#oneLine}).
     */
    public static String display(String name) {
        if (!hasRawBytes(name)) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)))) {
                out.append(String.format("\\x%02x", c - 0xDC00));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
