package dev.deploy.activation;

import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.util.List;

/**
 * How services are (re)started when a generation switches. Each method adds shell lines to the one switch script;
 * {@link #checkHealth} runs afterwards. systemd where it runs; {@link LinksOnlyServices} where it does not.
 */
public interface ServiceManager {

    /** Stops services that the next generation no longer has, before the switch. */
    void beforeSwitch(ShellScript script, HostLayout layout, List<HostPlan.ServiceChange> changes);

    /** Installs the next generation's units and starts/restarts what changed, after the switch. */
    void afterSwitch(ShellScript script, HostLayout layout, GenerationManifest next,
                     List<HostPlan.ServiceChange> changes);

    /**
     * Checks the started and restarted services, each until healthy or its timeout: the unit, its HTTP URL (through
     * the connection) and its command. The result names the first that is not healthy, if any.
     */
    HealthResult checkHealth(HostConnection connection, GenerationManifest next, List<HostPlan.ServiceChange> changes);

    /** A name for plans and reports, such as {@code systemd}. */
    String name();
}
