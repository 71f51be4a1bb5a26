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
 * against the value with and without a trailing line break; the files deploy renders (units, {@code files:}) are
 * also searched for values of {@value #MIN_SEARCHED} bytes or more (a value also written in a module option). Messages
 * name the file, never the value. A value inside a larger file of a source is not searched for (the source reader
 * refuses files others may not read).
 */
public final class SecretExposure {

    /** Values shorter than this (bytes) are not searched for inside files: they would match by chance. */
    static final int MIN_SEARCHED = 8;
    /** Roles whose files deploy renders from module text (units, {@code files:}), searched for values. */
    private static final java.util.List<String> RENDERED = java.util.List.of("unit/", "file/");
    private static final long MAX_RENDERED = 1 << 20;

    private SecretExposure() {
    }

    private static boolean contains(Artifact artifact, TreeEntry entry, byte[] value) {
        byte[] text;
        try (java.io.InputStream in = artifact.contents().open(entry)) {
            text = in.readNBytes((int) MAX_RENDERED);
        } catch (java.io.IOException e) {
            return false;
        }
        outer:
        for (int i = 0; i + value.length <= text.length; i++) {
            for (int j = 0; j < value.length; j++) {
                if (text[i + j] != value[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
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
                    if (entry.kind() != TreeEntry.Kind.FILE) {
                        continue;
                    }
                    if (digests.contains(entry.sha256())) {
                        throw DeployException.input(hostName, source.at(), source.field(), "the value of secret "
                                + secret.name() + " is also the content of " + entry.path() + " in " + role
                                + ", which hosts get world-readable in their store: keep the secret's file out of "
                                + "that source (move it, or exclude it there)");
                    }
                    if (value.length >= MIN_SEARCHED && RENDERED.stream().anyMatch(role::startsWith)
                            && entry.size() <= MAX_RENDERED && contains(artifact, entry, value)) {
                        throw DeployException.input(hostName, source.at(), source.field(), "the value of secret "
                                + secret.name() + " is written in " + role + " (a module option or text holds it),"
                                + " which hosts get world-readable in their store: give it to the service as the "
                                + "secret instead (README 'Secrets')");
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
