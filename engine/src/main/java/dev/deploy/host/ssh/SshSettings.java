package dev.deploy.host.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one host over SSH.
 *
 * @param hostName         the inventory name, used in every message about this host
 * @param address          DNS name or IP address to connect to
 * @param port             TCP port of the SSH server
 * @param user             remote user to log in as
 * @param identityFile     private key to offer; when empty the usual {@code ~/.ssh/id_*} keys that exist are offered
 * @param knownHostsFile   OpenSSH known_hosts file that host keys are checked against (and recorded in)
 * @param acceptNewHostKey whether a host whose key is not known yet is trusted and recorded (a changed key never is)
 * @param jumpHost         a bastion to reach this host through, like OpenSSH's {@code ProxyJump}
 * @param connectTimeout   limit for the TCP connect and for each step of the SSH handshake
 * @param passphrases      where passphrases of encrypted keys come from
 */
public record SshSettings(
        String hostName,
        String address,
        int port,
        String user,
        Optional<Path> identityFile,
        Path knownHostsFile,
        boolean acceptNewHostKey,
        Optional<SshSettings> jumpHost,
        Duration connectTimeout,
        PassphraseSource passphrases) {

    public static final int DEFAULT_PORT = 22;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);

    public SshSettings {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identityFile, "identityFile");
        Objects.requireNonNull(jumpHost, "jumpHost");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(hostName + ": port " + port + " is not between 1 and 65535");
        }
        knownHostsFile = knownHostsFile != null ? knownHostsFile : defaultKnownHostsFile();
        connectTimeout = connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException(hostName + ": connect timeout must be positive");
        }
        passphrases = passphrases != null ? passphrases : PassphraseSource.standard();
    }

    /** Settings with every optional part at its default: port 22 is a separate argument because it is so common. */
    public static SshSettings of(String hostName, String address, int port, String user) {
        return new SshSettings(hostName, address, port, user, Optional.empty(), null, false, Optional.empty(), null,
                null);
    }

    public static SshSettings of(String hostName, String address, String user) {
        return of(hostName, address, DEFAULT_PORT, user);
    }

    /** {@code ~/.ssh/known_hosts} of the user running deploy. */
    public static Path defaultKnownHostsFile() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    public SshSettings withIdentityFile(Path file) {
        return new SshSettings(hostName, address, port, user, Optional.of(file), knownHostsFile, acceptNewHostKey,
                jumpHost, connectTimeout, passphrases);
    }

    public SshSettings withKnownHostsFile(Path file) {
        return new SshSettings(hostName, address, port, user, identityFile, file, acceptNewHostKey, jumpHost,
                connectTimeout, passphrases);
    }

    public SshSettings withAcceptNewHostKey(boolean accept) {
        return new SshSettings(hostName, address, port, user, identityFile, knownHostsFile, accept, jumpHost,
                connectTimeout, passphrases);
    }

    public SshSettings withJumpHost(SshSettings jump) {
        return new SshSettings(hostName, address, port, user, identityFile, knownHostsFile, acceptNewHostKey,
                Optional.of(jump), connectTimeout, passphrases);
    }

    public SshSettings withConnectTimeout(Duration timeout) {
        return new SshSettings(hostName, address, port, user, identityFile, knownHostsFile, acceptNewHostKey,
                jumpHost, timeout, passphrases);
    }

    public SshSettings withPassphrases(PassphraseSource source) {
        return new SshSettings(hostName, address, port, user, identityFile, knownHostsFile, acceptNewHostKey,
                jumpHost, connectTimeout, source);
    }

    /** {@code user@address:port}, for messages. */
    public String target() {
        return user + "@" + address + ":" + port;
    }
}
