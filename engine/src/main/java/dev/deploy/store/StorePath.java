package dev.deploy.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.codec.binary.Base32;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The name of an artifact in every host's store: {@code <hash>-<name>}, where the hash (32 base32 characters, 160
 * bits) covers the artifact's name and tree hash. The same content under the same name gets the same store path on
 * every host.
 */
public record StorePath(String hash, String name) implements Comparable<StorePath> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9+_?=-][A-Za-z0-9+._?=-]{0,199}");
    private static final Pattern HASH = Pattern.compile("[a-z2-7]{32}");

    public StorePath {
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("not a store hash: " + hash);
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a store name: " + name);
        }
    }

    /** The store path of a tree published under {@code name}. */
    public static StorePath of(String name, Tree tree) {
        byte[] digest = DigestUtils.sha256(("deploy-store-v1\0" + name + "\0" + tree.hash())
                .getBytes(StandardCharsets.UTF_8));
        String hash = new Base32().encodeAsString(Arrays.copyOf(digest, 20)).toLowerCase(Locale.ROOT);
        return new StorePath(hash, name);
    }

    /** Parses {@code <hash>-<name>}. */
    public static StorePath parse(String text) {
        int dash = text.indexOf('-');
        if (dash != 32) {
            throw new IllegalArgumentException("not a store path: " + text);
        }
        return new StorePath(text.substring(0, 32), text.substring(33));
    }

    /** Whether {@code text} is a well-formed store path name (e.g. when listing a host's store). */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Turns any label into a valid store name (invalid characters become {@code _}). */
    public static String sanitizeName(String label) {
        String cleaned = label.replaceAll("[^A-Za-z0-9+._?=-]", "_");
        if (cleaned.startsWith(".")) {
            cleaned = "_" + cleaned.substring(1);
        }
        return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
    }

    @Override
    public String toString() {
        return hash + "-" + name;
    }

    @Override
    public int compareTo(StorePath other) {
        return toString().compareTo(other.toString());
    }
}
