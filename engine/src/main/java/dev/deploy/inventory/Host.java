package dev.deploy.inventory;

import dev.deploy.yaml.Location;
import java.util.List;

/** One host of the inventory after defaults and groups were merged into it. */
public record Host(String name, Location location, HostTarget target, List<String> tags, List<String> groups,
                   List<ModuleUse> modules, List<OptionSetting> options) {

    /** Whether {@code @tag} selects this host: its own tags and its groups' names both count. */
    public boolean hasTag(String tag) {
        return tags.contains(tag) || groups.contains(tag);
    }
}
