package dev.deploy.inventory;

import dev.deploy.Location;
import java.util.List;

/**
 * One host of the inventory after defaults and groups were merged into it, with how its activations are guarded
 * and where the controller reads its secrets ({@code secrets:}, merged key by key like options).
 */
public record Host(String name, Location location, HostTarget target, List<String> tags, List<String> groups,
                   List<ModuleUse> modules, List<OptionSetting> options, ActivationPolicy activation,
                   List<SecretSetting> secrets) {

    /** A host without secret sources. */
    public Host(String name, Location location, HostTarget target, List<String> tags, List<String> groups,
                List<ModuleUse> modules, List<OptionSetting> options, ActivationPolicy activation) {
        this(name, location, target, tags, groups, modules, options, activation, List.of());
    }

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
