package dev.deploy.host.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one host over SSH. Built from the inventory and {@code ssh -G} by {@link SshSettingsResolver}, or
 * directly (tests, tools) with {@link #of} and the {@code with...} methods.
 *
 * @param hostName           the name used in every message about this host: the inventory name of the host, or of
 *                           the jump host
 * @param address            DNS name or IP address to connect to (OpenSSH's {@code HostName})
 * @param port               TCP port of the SSH server
 * @param user               remote user to log in as
 * @param identityFile       a private key that must exist and is offered first (the inventory's {@code identity})
 * @param configIdentityFiles further keys to offer, as {@code IdentityFile} in ssh_config; missing ones are skipped as
 *                           {@code ssh} does. When both are empty the usual {@code ~/.ssh/id_*} keys that exist are
 *                           offered
 * @param identitiesOnly     when true only the keys named above are offered, never the agent's other keys
 *                           ({@code IdentitiesOnly})
 * @param agentSocket        the ssh-agent's socket ({@code SSH_AUTH_SOCK} or {@code IdentityAgent}); its keys are
 *                           offered before key files, as {@code ssh} does
 * @param knownHostsFile     OpenSSH known_hosts file that host keys are checked against (and recorded in)
 * @param acceptNewHostKey   whether a host whose key is not known yet is trusted and recorded (a changed key never is)
 * @param jumpHost           a host to reach this one through, like OpenSSH's {@code ProxyJump} (itself possibly
 *                           reached through another)
 * @param proxyCommand       a command whose stdin and stdout carry the connection ({@code ProxyCommand}, run with
 *                           {@code /bin/sh -c}, tokens already expanded); not combined with a jump host
 * @param timeouts           connect, banner, key exchange and login deadlines, and keep-alives
 * @param passphrases        where passphrases of encrypted keys come from
 * @param alsoTrustedKnownHosts further known_hosts files that are read but never written: the rest of ssh_config's
 *                           {@code UserKnownHostsFile} and its {@code GlobalKnownHostsFile} (missing ones skipped)
 * @param hostKeyAlias       the name host keys are looked up and recorded under instead of the address and port
 *                           (ssh_config's {@code HostKeyAlias})
 */
public record SshSettings(
        String hostName,
        String address,
        int port,
        String user,
        Optional<Path> identityFile,
        List<Path> configIdentityFiles,
        boolean identitiesOnly,
        Optional<Path> agentSocket,
        Path knownHostsFile,
        boolean acceptNewHostKey,
        Optional<SshSettings> jumpHost,
        Optional<String> proxyCommand,
        SshTimeouts timeouts,
        PassphraseSource passphrases,
        List<Path> alsoTrustedKnownHosts,
        Optional<String> hostKeyAlias) {

    public static final int DEFAULT_PORT = 22;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = SshTimeouts.DEFAULT_CONNECT;

    public SshSettings {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identityFile, "identityFile");
        Objects.requireNonNull(agentSocket, "agentSocket");
        Objects.requireNonNull(jumpHost, "jumpHost");
        Objects.requireNonNull(proxyCommand, "proxyCommand");
        configIdentityFiles = List.copyOf(configIdentityFiles);
        hostKeyAlias = hostKeyAlias == null ? Optional.empty() : hostKeyAlias;
        alsoTrustedKnownHosts = alsoTrustedKnownHosts == null ? List.of() : List.copyOf(alsoTrustedKnownHosts);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(hostName + ": port " + port + " is not between 1 and 65535");
        }
        knownHostsFile = knownHostsFile != null ? knownHostsFile : defaultKnownHostsFile();
        timeouts = timeouts != null ? timeouts : SshTimeouts.DEFAULT;
        passphrases = passphrases != null ? passphrases : PassphraseSource.standard();
    }

    /**
     * Settings with every optional part at its default (the agent of {@code SSH_AUTH_SOCK} when set); port 22 is a
     * separate argument because it is so common.
     */
    public static SshSettings of(String hostName, String address, int port, String user) {
        return new SshSettings(hostName, address, port, user, Optional.empty(), List.of(), false,
                AgentClient.environmentSocket(), null, false, Optional.empty(), Optional.empty(), null, null, List.of(), Optional.empty());
    }

    public static SshSettings of(String hostName, String address, String user) {
        return of(hostName, address, DEFAULT_PORT, user);
    }

    /** {@code ~/.ssh/known_hosts} of the user running deploy. */
    public static Path defaultKnownHostsFile() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** The limit for connecting and for each step of the handshake. */
    public Duration connectTimeout() {
        return timeouts.connect();
    }

    public SshSettings withIdentityFile(Path file) {
        return new SshSettings(hostName, address, port, user, Optional.of(file), configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, acceptNewHostKey, jumpHost, proxyCommand, timeouts, passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withConfigIdentityFiles(List<Path> files, boolean only) {
        return new SshSettings(hostName, address, port, user, identityFile, files, only, agentSocket, knownHostsFile,
                acceptNewHostKey, jumpHost, proxyCommand, timeouts, passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withAgentSocket(Optional<Path> socket) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                socket, knownHostsFile, acceptNewHostKey, jumpHost, proxyCommand, timeouts, passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withKnownHostsFile(Path file) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, file, acceptNewHostKey, jumpHost, proxyCommand, timeouts, passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withAcceptNewHostKey(boolean accept) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, accept, jumpHost, proxyCommand, timeouts, passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withJumpHost(SshSettings jump) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, acceptNewHostKey, Optional.of(jump), proxyCommand, timeouts,
                passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withProxyCommand(String command) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, acceptNewHostKey, jumpHost, Optional.of(command), timeouts, passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withTimeouts(SshTimeouts limits) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, acceptNewHostKey, jumpHost, proxyCommand, limits, passphrases, alsoTrustedKnownHosts, hostKeyAlias);
    }

    public SshSettings withConnectTimeout(Duration timeout) {
        return withTimeouts(timeouts.withConnect(timeout));
    }

    public SshSettings withAlsoTrustedKnownHosts(List<Path> files) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, acceptNewHostKey, jumpHost, proxyCommand, timeouts, passphrases, files, hostKeyAlias);
    }

    public SshSettings withHostKeyAlias(Optional<String> alias) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, acceptNewHostKey, jumpHost, proxyCommand, timeouts, passphrases,
                alsoTrustedKnownHosts, alias);
    }

    public SshSettings withPassphrases(PassphraseSource source) {
        return new SshSettings(hostName, address, port, user, identityFile, configIdentityFiles, identitiesOnly,
                agentSocket, knownHostsFile, acceptNewHostKey, jumpHost, proxyCommand, timeouts, source, alsoTrustedKnownHosts, hostKeyAlias);
    }

    /** {@code user@address:port}, for messages. */
    public String target() {
        return user + "@" + address + ":" + port;
    }
}
