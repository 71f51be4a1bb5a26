package dev.deploy.python;

import java.util.Locale;
import java.util.regex.Pattern;

/** A content hash as uv.lock writes it, {@code sha256:<hex>}. */
public record FileHash(String algorithm, String hexDigest) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

    public FileHash {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        hexDigest = hexDigest.toLowerCase(Locale.ROOT);
        int expectedLength = switch (algorithm) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            case "md5" -> 32;
            default -> throw new IllegalArgumentException("unsupported hash algorithm '" + algorithm + "'");
        };
        if (hexDigest.length() != expectedLength || !HEX.matcher(hexDigest).matches()) {
            throw new IllegalArgumentException(algorithm + " digest must be " + expectedLength + " hex digits");
        }
    }

    /** Parses {@code algorithm:hex}, or throws {@link IllegalArgumentException} saying why not. */
    public static FileHash parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected 'algorithm:hex', got '" + text + "'");
        }
        return new FileHash(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hexDigest;
    }
}
