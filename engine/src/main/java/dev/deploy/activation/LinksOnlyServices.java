package dev.deploy.activation;

import dev.deploy.host.HostConnection;
import dev.deploy.host.ShellScript;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.HostLayout;
import java.util.List;

/**
 * The service manager of hosts without systemd (and of the local target): units are part of the generation and
 * switch with it, but nothing is started. Plans still show what a service manager would do.
 */
public final class LinksOnlyServices implements ServiceManager {

    @Override
    public void beforeSwitch(ShellScript script, HostLayout layout, List<HostPlan.ServiceChange> changes) {
    }

    @Override
    public void afterSwitch(ShellScript script, HostLayout layout, GenerationManifest next,
                            List<HostPlan.ServiceChange> changes) {
    }

    @Override
    public String checkHealth(HostConnection connection, GenerationManifest next, List<HostPlan.ServiceChange> changes) {
        return null;
    }

    @Override
    public String name() {
        return "links only";
    }
}
