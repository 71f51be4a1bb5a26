package dev.deploy.host.ssh;

import java.io.Console;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the passphrase of an encrypted private key comes from. */
@FunctionalInterface
public interface PassphraseSource {

    /** The environment variable that holds the passphrase for non-interactive runs. */
    String ENVIRONMENT_VARIABLE = "DEPLOY_SSH_PASSPHRASE";

    /** The passphrase for {@code keyFile}, or empty when none can be had. */
    Optional<char[]> passphraseFor(Path keyFile);

    /** Asks this source first and {@code other} when this one has nothing. */
    default PassphraseSource orElse(PassphraseSource other) {
        return keyFile -> {
            Optional<char[]> found = passphraseFor(keyFile);
            return found.isPresent() ? found : other.passphraseFor(keyFile);
        };
    }

    /** The environment variable {@value #ENVIRONMENT_VARIABLE} of this process, then a console prompt. */
    static PassphraseSource standard() {
        return environment(System.getenv()).orElse(console());
    }

    /** {@value #ENVIRONMENT_VARIABLE} from the given environment (a map, so that tests need not set real ones). */
    static PassphraseSource environment(Map<String, String> environment) {
        return keyFile -> Optional.ofNullable(environment.get(ENVIRONMENT_VARIABLE)).map(String::toCharArray);
    }

    /** Prompts on the terminal when there is one; has nothing otherwise (under CI, or with input redirected). */
    static PassphraseSource console() {
        return keyFile -> {
            Console console = System.console();
            return console == null
                    ? Optional.empty()
                    : Optional.ofNullable(console.readPassword("Enter passphrase for key %s: ", keyFile));
        };
    }

    /** Never has a passphrase: encrypted keys cannot be used. */
    static PassphraseSource none() {
        return keyFile -> Optional.empty();
    }
}
