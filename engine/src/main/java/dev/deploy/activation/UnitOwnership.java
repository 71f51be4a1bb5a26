package dev.deploy.activation;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.plan.GenerationManifest;
import dev.deploy.plan.HostState;
import java.util.ArrayList;
import java.util.List;

/**
 * deploy only replaces or deletes units it created (its units are links into its own state directory). Before
 * anything changes, each service of the desired generation is checked against who holds its unit file name on the
 * host; a file someone else made, in {@code /etc/systemd/system} or in a vendor directory that deploy's link would
 * shadow, is an error naming host and unit, unless the inventory lists the service under {@code takeOver}.
 */
public final class UnitOwnership {

    private UnitOwnership() {
    }

    /** The unit file names of {@code manifest}'s services ({@code web.service}), to ask the host about. */
    public static List<String> units(GenerationManifest manifest) {
        return manifest.services().keySet().stream().map(service -> service + ".service").toList();
    }

    /**
     * @throws DeployException of kind INPUT naming the host, its inventory entry and the unit, for the first clash with
     *                         a unit deploy did not create, or a {@code takeOver} entry that names no service
     */
    public static void check(Host host, GenerationManifest desired, HostState state) {
        List<String> takeOver = host.activation().takeOver();
        for (String service : takeOver) {
            if (!desired.services().containsKey(service)) {
                throw DeployException.input(host.name(), host.location(), "takeOver", "'" + service
                        + "' is not a service of this host (services: "
                        + String.join(", ", new ArrayList<>(desired.services().keySet())) + ")");
            }
        }
        if (!state.systemd() || !host.target().managesServices()) {
            return; // deploy links no units here (a local target without services: systemd only records them)
        }
        for (String service : desired.services().keySet()) {
            HostState.UnitHolder holder = state.units().get(service + ".service");
            if (holder == null || holder.kind() != HostState.UnitHolder.Kind.FOREIGN || takeOver.contains(service)) {
                continue;
            }
            throw DeployException.input(host.name(), host.location(), "service " + service, holder.detail()
                    + " exists and was not made by deploy, which never replaces or deletes it: rename the service,"
                    + " or let deploy take the unit over with 'takeOver: [" + service + "]' on the host (the file is"
                    + " kept and put back when deploy stops managing the service)");
        }
    }
}
