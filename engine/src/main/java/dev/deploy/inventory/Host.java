package dev.deploy.inventory;

import dev.deploy.yaml.Location;
import java.util.List;

/**
 * One host of the inventory after defaults and groups were merged into it, with how its activations are guarded.
 */
public record Host(String name, Location location, HostTarget target, List<String> tags, List<String> groups,
                   List<ModuleUse> modules, List<OptionSetting> options, ActivationPolicy activation) {

    /** A host with the default activation policy. */
    public Host(String name, Location location, HostTarget target, List<String> tags, List<String> groups,
                List<ModuleUse> modules, List<OptionSetting> options) {
        this(name, location, target, tags, groups, modules, options, ActivationPolicy.DEFAULT);
    }

    /** Whether {@code @tag} selects this host: its own tags and its groups' names both count. */
    public boolean hasTag(String tag) {
        return tags.contains(tag) || groups.contains(tag);
    }
}
