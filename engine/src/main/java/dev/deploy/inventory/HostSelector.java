package dev.deploy.inventory;

import dev.deploy.DeployException;
import dev.deploy.Location;
import dev.deploy.yaml.NearMiss;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks hosts from {@code --on}: a comma-separated list of host names and {@code @tag}s (a group name is also a
 * tag). No {@code --on} at all means every host. A name or tag that matches nothing is an error, not an empty
 * deploy, and so is an {@code --on} that names nothing ({@code --on ""}, {@code --on ","}: an empty variable in a
 * script), which must neither act on no host nor on the whole fleet.
 */
public final class HostSelector {

    private HostSelector() {
    }

    public static List<Host> select(Inventory inventory, List<String> selectors) {
        if (selectors == null || selectors.isEmpty()) {
            return inventory.hosts();
        }
        Set<Host> chosen = new LinkedHashSet<>();
        if (selectors.stream().allMatch(raw -> raw.replace(",", "").isBlank())) {
            throw DeployException.input((Location) null, "--on", "names no host (give host names or @tags, "
                    + "comma-separated)");
        }
        for (String raw : selectors) {
            for (String selector : raw.split(",")) {
                String item = selector.strip();
                if (item.isEmpty()) {
                    continue;
                }
                List<Host> matched = new ArrayList<>();
                if (item.startsWith("@")) {
                    String tag = item.substring(1);
                    inventory.hosts().stream().filter(host -> host.hasTag(tag)).forEach(matched::add);
                    if (matched.isEmpty()) {
                        throw DeployException.input((Location) null, "--on " + item, "no host in "
                                + inventory.file() + " has tag or group '" + tag + "'" + NearMiss.suggestion(tag,
                                inventory.hosts().stream().flatMap(h -> java.util.stream.Stream.concat(
                                        h.tags().stream(), h.groups().stream())).distinct().toList()));
                    }
                } else {
                    matched.add(inventory.host(item).orElseThrow(() -> DeployException.input((Location) null,
                            "--on " + item, "no host named '" + item + "' in " + inventory.file()
                            + NearMiss.suggestion(item, inventory.hosts().stream().map(Host::name).toList()))));
                }
                chosen.addAll(matched);
            }
        }
        // Keep inventory order so that output is stable whatever order the selectors were given in.
        return inventory.hosts().stream().filter(chosen::contains).toList();
    }
}
