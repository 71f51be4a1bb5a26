package dev.deploy.fleet;

import dev.deploy.host.HostConnection;
import dev.deploy.inventory.Host;

/** Opens the connection to a host; one per host per run, reused for every step. */
@FunctionalInterface
public interface HostConnector {

    HostConnection open(Host host);
}
