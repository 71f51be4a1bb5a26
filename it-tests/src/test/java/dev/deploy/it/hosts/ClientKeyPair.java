package dev.deploy.it.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The SSH client key the tests log in with: one ed25519 pair per test run (JVM), made by {@code ssh-keygen} in a
 * private temporary directory that is deleted when the JVM exits. Every test host trusts its public key.
 */
public record ClientKeyPair(Path privateKey, Path publicKey, String publicKeyLine) {

    private static ClientKeyPair forThisRun;

    /** The pair of this JVM, generated on first use. */
    public static synchronized ClientKeyPair forThisRun() {
        if (forThisRun == null) {
            forThisRun = generate();
        }
        return forThisRun;
    }

    private static ClientKeyPair generate() {
        try {
            Path dir = Files.createTempDirectory("deploy-it-sshkey-");
            TempFiles.deleteOnExit(dir);
            Path key = dir.resolve("id_ed25519");
            LocalProcess.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy-it-tests",
                    "-f", key.toString()), Duration.ofSeconds(30)).requireSuccess("ssh-keygen");
            Path pub = dir.resolve("id_ed25519.pub");
            return new ClientKeyPair(key, pub, Files.readString(pub, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the test run's SSH key pair", e);
        }
    }
}
