package dev.deploy.cli;

import dev.deploy.event.DeployEvent;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.Location;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One sample of every event type, for the renderers' tests. */
final class Events {

    static final Instant AT = Instant.parse("2025-01-02T03:04:05Z");

    private Events() {
    }

    static Host host(String name) {
        // services: systemd, so the switch starts the services the plan names
        return new Host(name, new Location("inventory.yaml", 1, 1),
                new HostTarget.Local(Path.of("/srv", name), true, Optional.empty()),
                List.of(), List.of(), List.of(), List.of());
    }

    /** A plan that restarts one service, from generation 1 to 2. */
    static HostPlan plan(String host) {
        HostState state = new HostState(Optional.of(1), Optional.empty(), List.of(1), Set.of(), true, "x86_64", -1);
        return new HostPlan(host(host), null, state, List.of(), List.of(),
                List.of(new HostPlan.ServiceChange("web", HostPlan.ServiceAction.RESTART)));
    }

    /** What one host goes through in a batch of its own, in order. */
    static List<DeployEvent> oneHost(String host) {
        return List.of(
                new DeployEvent.BatchStarted(AT, 1, List.of(host)),
                new DeployEvent.HostStarted(AT, host),
                new DeployEvent.Connected(AT, host),
                new DeployEvent.Planned(AT, host, plan(host)),
                new DeployEvent.TransferProgress(AT, host, 100, 300, 1, 3),
                new DeployEvent.TransferProgress(AT, host, 300, 300, 3, 3),
                new DeployEvent.Switched(AT, host, 1, 2),
                new DeployEvent.HealthChecked(AT, host, "web", true, "web.service is healthy after 1.0s"),
                new DeployEvent.Confirmed(AT, host, 2),
                new DeployEvent.RolledBack(AT, host, 2, 1, false, "rollout aborted"),
                new DeployEvent.HostFinished(AT, host, "applied"),
                new DeployEvent.BatchFinished(AT, 1, List.of()));
    }
}
