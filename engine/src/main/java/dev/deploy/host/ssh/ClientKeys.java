package dev.deploy.host.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The private key files offered to a host: the inventory's identity file (which must exist), then the ssh_config
 * {@code IdentityFile}s that exist; or, when neither is set, those of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}
 * and {@code id_rsa} that exist. Keys are decrypted up front so that a missing or wrong passphrase is reported by
 * name rather than as a failed login. (The ssh-agent's keys are offered before these, by {@link SshConnector}.)
 */
final class ClientKeys {

    static final List<String> DEFAULT_KEY_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /** The loaded keys, and a note for each default key that had to be skipped. */
    record Loaded(List<KeyProvider> providers, List<Path> files, List<String> skipped) {
    }

    /** Thrown for a key that was asked for explicitly and cannot be used; its message is the user-facing detail. */
    static final class KeyProblem extends Exception {
        KeyProblem(String detail) {
            super(detail);
        }
    }

    private ClientKeys() {
    }

    static Loaded load(SSHClient client, SshSettings settings) throws KeyProblem {
        List<KeyProvider> providers = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (settings.identityFile().isPresent()) {
            Path file = settings.identityFile().get();
            if (!Files.isRegularFile(file)) {
                throw new KeyProblem("identity file " + file + " does not exist");
            }
            providers.add(load(client, file, settings.passphrases()));
            files.add(file);
        }
        for (Path file : settings.configIdentityFiles()) {
            if (Files.isRegularFile(file) && !files.contains(file)) {
                try {
                    providers.add(load(client, file, settings.passphrases()));
                    files.add(file);
                } catch (KeyProblem e) {
                    skipped.add(e.getMessage());
                }
            }
        }
        if (settings.identityFile().isPresent() || !settings.configIdentityFiles().isEmpty()) {
            if (providers.isEmpty()) {
                throw new KeyProblem(skipped.isEmpty()
                        ? "none of the IdentityFile keys from ssh_config exists ("
                        + String.join(", ", settings.configIdentityFiles().stream().map(Path::toString).toList()) + ")"
                        : String.join("; ", skipped));
            }
            return new Loaded(providers, files, skipped);
        }
        Path sshDir = Path.of(System.getProperty("user.home"), ".ssh");
        for (String name : DEFAULT_KEY_NAMES) {
            Path file = sshDir.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    providers.add(load(client, file, settings.passphrases()));
                    files.add(file);
                } catch (KeyProblem e) {
                    skipped.add(e.getMessage());
                }
            }
        }
        if (providers.isEmpty()) {
            String why = skipped.isEmpty()
                    ? "no identity file is set and none of ~/.ssh/" + String.join(", ", DEFAULT_KEY_NAMES) + " exists"
                    : String.join("; ", skipped);
            throw new KeyProblem(why);
        }
        return new Loaded(providers, files, skipped);
    }

    private static KeyProvider load(SSHClient client, Path file, PassphraseSource passphrases) throws KeyProblem {
        AskOnce finder = new AskOnce(file, passphrases);
        try {
            if (KeyProviderUtil.detectKeyFileFormat(file.toFile()) != KeyFormat.OpenSSHv1) {
                JdkCrypto.addBouncyCastleFallback();
            }
            KeyProvider provider = client.loadKeys(file.toString(), finder);
            provider.getPrivate();
            return provider;
        } catch (Exception e) {
            if (finder.asked && finder.answer.isEmpty()) {
                throw new KeyProblem("key " + file + " is encrypted and no passphrase is available; set "
                        + PassphraseSource.ENVIRONMENT_VARIABLE + " or run deploy from a terminal to be asked");
            }
            if (finder.asked) {
                throw new KeyProblem("cannot decrypt key " + file + " with the passphrase given (wrong passphrase?)");
            }
            throw new KeyProblem("cannot read key " + file + ": " + SshFailures.describe(e));
        }
    }

    /** Asks the passphrase source at most once per key, remembering whether it was asked and what it said. */
    private static final class AskOnce implements PasswordFinder {
        private final Path file;
        private final PassphraseSource source;
        private boolean asked;
        private Optional<char[]> answer = Optional.empty();

        AskOnce(Path file, PassphraseSource source) {
            this.file = file;
            this.source = source;
        }

        @Override
        public char[] reqPassword(Resource<?> resource) {
            if (!asked) {
                asked = true;
                answer = source.passphraseFor(file);
            }
            // An empty passphrase makes sshj fail to decrypt rather than fail on a null.
            return answer.map(char[]::clone).orElse(new char[0]);
        }

        @Override
        public boolean shouldRetry(Resource<?> resource) {
            return false;
        }
    }
}
