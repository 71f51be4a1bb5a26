package dev.deploy.host.ssh;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Locale;

/** The OpenSSH text forms of host keys: fingerprints, known_hosts names and lines. */
final class HostKeys {

    private HostKeys() {
    }

    /** The wire encoding of a public key, as it appears base64-encoded in known_hosts. */
    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    /** {@code SHA256:...} as printed by {@code ssh-keygen -l} and by {@code ssh} when it asks about a new host. */
    static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    /** The name a host is recorded under in known_hosts: {@code host} on port 22, {@code [host]:port} otherwise. */
    static String knownHostsName(String address, int port) {
        String host = address.toLowerCase(Locale.ROOT);
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The key type name used in known_hosts, such as {@code ssh-ed25519}. */
    static String typeName(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }

    /** One known_hosts line (without line break) that trusts {@code key} for {@code knownHostsName}. */
    static String knownHostsLine(String knownHostsName, PublicKey key) {
        return knownHostsName + " " + typeName(key) + " " + Base64.getEncoder().encodeToString(blob(key));
    }
}
