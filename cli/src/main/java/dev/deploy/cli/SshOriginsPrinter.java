package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.host.ssh.SshSettingsResolver;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code plan --verbose}: for each SSH host, every connection setting and where it came from (the inventory's
 * file:line, ssh_config via {@code ssh -G}, or deploy's default), jump hosts included; and how root is reached.
 */
final class SshOriginsPrinter {

    private final PrintWriter out;
    private final SshSettingsResolver resolver;

    SshOriginsPrinter(PrintWriter out, boolean acceptNewHostKeys, Optional<Duration> connectTimeout) {
        this.out = out;
        this.resolver = new SshSettingsResolver(acceptNewHostKeys).withConnectTimeoutOverride(connectTimeout);
    }

    void print(Host host) {
        host.target().become().ifPresent(become -> out.println("  become " + become.method().program()
                + become.passwordCommand().map(c -> " (password from becomePasswordCommand)").orElse("")));
        if (!(host.target() instanceof HostTarget.Ssh ssh)) {
            return;
        }
        try {
            for (SshSettingsResolver.Origin origin : resolver.resolve(host.name(), ssh).origins()) {
                out.println("  ssh " + origin);
            }
        } catch (DeployException e) {
            out.println("  ssh settings: " + e.getMessage());
        }
    }
}
