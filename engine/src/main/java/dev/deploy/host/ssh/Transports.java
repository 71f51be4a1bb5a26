package dev.deploy.host.ssh;

import dev.deploy.DeployException;
import dev.deploy.host.HostConnection;
import dev.deploy.host.LocalConnection;
import dev.deploy.host.become.BecomeConnection;
import dev.deploy.host.become.BecomePasswords;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens the connection to an inventory host for one run: {@code sh} on this machine for a {@code local:} host, one
 * SSH connection (settings from {@link SshSettingsResolver}) otherwise, and on top of either a
 * {@link BecomeConnection} when the host sets {@code become}. Become passwords are obtained once per run and shared
 * by all hosts ({@link BecomePasswords}); ssh_config lookups are cached for the run.
 */
public final class Transports {

    private final SshSettingsResolver resolver;
    private final BecomePasswords passwords;

    public Transports(SshSettingsResolver resolver, BecomePasswords passwords) {
        this.resolver = resolver;
        this.passwords = passwords;
    }

    /** The transports of a run of the CLI: the {@code ssh} on PATH, this process's environment and terminal. */
    public static Transports standard(boolean acceptNewHostKeys) {
        return standard(acceptNewHostKeys, Optional.empty());
    }

    /** As {@link #standard(boolean)}, with {@code connectTimeout} (when given) over every other connect limit. */
    public static Transports standard(boolean acceptNewHostKeys, Optional<Duration> connectTimeout) {
        return new Transports(new SshSettingsResolver(acceptNewHostKeys).withConnectTimeoutOverride(connectTimeout),
                BecomePasswords.standard());
    }

    public SshSettingsResolver resolver() {
        return resolver;
    }

    /**
     * Connects to {@code host} (and becomes root there when it says so).
     *
     * @throws DeployException of kind HOST when it cannot be reached or the login user may not become root, of kind
     *                         INPUT when its ssh_config is rejected
     */
    public HostConnection open(Host host) {
        HostConnection connection;
        String user;
        if (host.target() instanceof HostTarget.Local) {
            connection = new LocalConnection(host.name());
            user = System.getProperty("user.name");
        } else {
            SshSettings settings = resolver.resolve(host.name(), (HostTarget.Ssh) host.target()).settings();
            connection = SshConnection.open(settings);
            user = settings.user();
        }
        if (host.target().become().isEmpty()) {
            return connection;
        }
        try {
            return BecomeConnection.open(connection, host.target().become().get(), passwords, user);
        } catch (RuntimeException e) {
            try {
                connection.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }
}
