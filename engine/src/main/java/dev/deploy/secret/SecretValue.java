package dev.deploy.secret;

import java.util.Arrays;

/**
 * The bytes of one secret, as read on the controller. Never printed: {@link #toString} is a placeholder, so a record
 * or message that holds one shows no value. Values are compared only through their keyed hash
 * ({@link SecretKey#version}).
 */
public final class SecretValue {

    /** The largest secret accepted (64 KiB): a key, a token, a certificate, a macaroon. */
    public static final int MAX_BYTES = 64 * 1024;

    private final byte[] bytes;

    private SecretValue(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SecretValue of(byte[] bytes) {
        return new SecretValue(bytes.clone());
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** Whether any byte is a line break or NUL (which an environment variable cannot carry through a unit). */
    public boolean hasLineBreakOrNul() {
        for (byte b : bytes) {
            if (b == '\n' || b == '\r' || b == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the bytes are valid UTF-8 (systemd ignores an environment variable whose value is not). */
    public boolean isUtf8() {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** The value without trailing line breaks ({@code \n}, {@code \r\n}), as shell command substitution does. */
    public SecretValue withoutTrailingNewlines() {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return end == bytes.length ? this : new SecretValue(Arrays.copyOf(bytes, end));
    }

    /** Also what JSON serialization (Jackson) writes for it: never the bytes. */
    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
        return "<secret, " + bytes.length + " bytes>";
    }
}
