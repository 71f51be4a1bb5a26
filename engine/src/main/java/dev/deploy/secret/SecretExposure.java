package dev.deploy.secret;

import dev.deploy.DeployException;
import dev.deploy.store.Artifact;
import dev.deploy.store.TreeEntry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Refuses a secret whose value is also the whole content of a file in a store path the host gets: every store file
 * is world-readable on hosts, so such a value would not be secret there (a {@code {file: PATH}} inside a
 * {@code path:} source, or a copy of the value in the tree). Files are compared by the SHA-256 the trees already hold,
 * against the value with and without a trailing line break; messages name the file, never the value. Values
 * embedded in a larger file cannot be recognised this way (the source reader refuses files others may not read).
 */
public final class SecretExposure {

    private SecretExposure() {
    }

    /**
     * @param roots   the host's store paths by role; artifacts not built yet (venvs) are skipped
     * @param secrets the host's secrets by role, with the source each value was read from
     * @throws DeployException of kind INPUT at the secret's source when a store file holds its value
     */
    public static void check(String hostName, Map<String, Artifact> roots, Map<Secret, SecretSource> secrets) {
        secrets.forEach((secret, source) -> {
            byte[] value = secret.value().bytes();
            Set<String> digests = Set.of(sha256(value, ""), sha256(value, "\n"), sha256(value, "\r\n"));
            roots.forEach((role, artifact) -> {
                if (!artifact.isBuilt()) {
                    return;
                }
                for (TreeEntry entry : artifact.tree().entries()) {
                    if (entry.kind() == TreeEntry.Kind.FILE && digests.contains(entry.sha256())) {
                        throw DeployException.input(hostName, source.at(), source.field(), "the value of secret "
                                + secret.name() + " is also the content of " + entry.path() + " in " + role
                                + ", which hosts get world-readable in their store: keep the secret's file out of "
                                + "that source (move it, or exclude it there)");
                    }
                }
            });
        });
    }

    private static String sha256(byte[] value, String suffix) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(value);
            digest.update(suffix.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
