package dev.deploy.it.ssh;

import dev.deploy.host.ssh.PassphraseSource;
import dev.deploy.host.ssh.SshConnection;
import dev.deploy.host.ssh.SshSettings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a JVM of its own by {@link SshCryptoIT}: connects to 127.0.0.1:PORT with KEY (and PASSPHRASE, if given),
 * trusting KNOWN_HOSTS, runs {@code echo connected} and prints its output.
 */
public final class ConnectProbe {

    private ConnectProbe() {
    }

    public static void main(String[] args) throws Exception {
        SshSettings settings = SshSettings.of("probe", OpenSshServer.ADDRESS, Integer.parseInt(args[0]),
                        System.getProperty("user.name"))
                .withKnownHostsFile(Path.of(args[1]))
                .withIdentityFile(Path.of(args[2]))
                .withPassphrases(args.length > 3
                        ? PassphraseSource.environment(Map.of(PassphraseSource.ENVIRONMENT_VARIABLE, args[3]))
                        : PassphraseSource.none());
        try (SshConnection ssh = SshConnection.open(settings)) {
            System.out.print(ssh.run("echo connected").stdoutText());
        }
    }
}
