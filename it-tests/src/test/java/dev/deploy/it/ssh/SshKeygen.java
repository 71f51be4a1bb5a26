package dev.deploy.it.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs OpenSSH's {@code ssh-keygen}, so that tests use keys, fingerprints and known_hosts files made by OpenSSH. */
final class SshKeygen {

    private SshKeygen() {
    }

    /** Makes an ed25519 key pair at {@code file} and {@code file.pub}; an empty passphrase leaves it unencrypted. */
    static Path generate(Path file, String passphrase) throws IOException, InterruptedException {
        return generate(file, passphrase, "ed25519", "RFC4716");
    }

    /**
     * Makes a key pair of {@code type} (ed25519, ecdsa, rsa) in private key {@code format}: RFC4716 is OpenSSH's own
     * ("BEGIN OPENSSH PRIVATE KEY", bcrypt KDF when encrypted), PEM and PKCS8 the OpenSSL ones.
     */
    static Path generate(Path file, String passphrase, String type, String format)
            throws IOException, InterruptedException {
        run("ssh-keygen", "-q", "-t", type, "-m", format, "-N", passphrase, "-C", "deploy-test", "-f",
                file.toString());
        return file;
    }

    /** {@code SHA256:...} of a public key file, as ssh-keygen prints it. */
    static String fingerprint(Path publicKey) throws IOException, InterruptedException {
        return run("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()).split("\\s+")[1];
    }

    /** Replaces every host name in a known_hosts file by its {@code |1|salt|hash} form. */
    static void hash(Path knownHosts) throws IOException, InterruptedException {
        run("ssh-keygen", "-H", "-f", knownHosts.toString());
    }

    /** Whether ssh-keygen finds an entry for {@code name} in a known_hosts file. */
    static boolean knows(Path knownHosts, String name) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("ssh-keygen", "-F", name, "-f", knownHosts.toString())
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** The lines of the given public key files, for an authorized_keys file. */
    static List<String> publicKeyLines(List<Path> privateKeys) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path key : privateKeys) {
            lines.add(Files.readString(key.resolveSibling(key.getFileName() + ".pub")).strip());
        }
        return lines;
    }
}
