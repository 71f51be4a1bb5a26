package dev.deploy.activation;

import dev.deploy.host.HostConnection;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import java.util.List;

/**
 * How a host's services are managed: systemd where it runs ({@link SystemdServices}: units linked, services
 * stopped, started and restarted by {@code activate.sh}, then health-checked), else {@link LinksOnlyServices} (units
 * switch with the generation, nothing is started). The activation script does the actions; this decides whether it
 * does and checks health afterwards.
 */
public interface ServiceManager {

    /** Whether {@code activate.sh} links units and runs systemctl on this host. */
    boolean runsServices();

    /**
     * Checks the started and restarted services, each until healthy, given up (its unit failed) or its timeout: the
     * unit, its HTTP URL (through the connection) and its command. The result names the first that is not healthy,
     * if any. Each poll moves the watchdog's deadline through {@code keepalive}.
     */
    HealthResult checkHealth(HostConnection connection, GenerationManifest next, List<HostPlan.ServiceChange> changes,
                             Keepalive keepalive);

    /** A name for plans and reports, such as {@code systemd}. */
    String name();
}
