package dev.deploy.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A host's secret-naming key: 32 random bytes kept on the host ({@code STATE/secrets/key}, root, 0600), created
 * once. A secret version is named by HMAC-SHA256 under this key over the secret's role, delivery, owner, group, mode
 * and value, so a name says whether the host has that exact version without revealing or letting anyone test a
 * guessed value.
 */
public final class SecretKey {

    /** Key length in bytes. */
    public static final int BYTES = 32;

    private final byte[] key;

    private SecretKey(byte[] key) {
        this.key = key;
    }

    /** A fresh random key, for a host that has none yet. */
    public static SecretKey random() {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        return new SecretKey(key);
    }

    /** The key a host printed, as lower-case hex; empty or malformed text gives null. */
    public static SecretKey parseHex(String hex) {
        if (hex == null || !hex.matches("[0-9a-f]{" + (2 * BYTES) + "}")) {
            return null;
        }
        return new SecretKey(HexFormat.of().parseHex(hex));
    }

    /** The key as lower-case hex, as the host stores it. */
    public String hex() {
        return HexFormat.of().formatHex(key);
    }

    /**
     * The name of {@code secret}'s version on the host: 32 hex digits of the keyed hash, a dash and
     * {@code MODULE.NAME} (for people listing the directory).
     */
    public String version(Secret secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String delivery = secret.delivery() instanceof Secret.Env env ? "env " + env.variable() : "file";
            String header = "deploy-secret-1\0" + secret.role() + "\0" + delivery + "\0" + secret.owner() + "\0"
                    + secret.group() + "\0" + Integer.toOctalString(secret.mode()) + "\0";
            mac.update(header.getBytes(StandardCharsets.UTF_8));
            mac.update(secret.value().bytes());
            return HexFormat.of().formatHex(mac.doFinal()).substring(0, 32) + "-" + secret.name();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
        return "<secret key>";
    }
}
