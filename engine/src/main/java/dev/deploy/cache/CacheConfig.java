package dev.deploy.cache;

import dev.deploy.inventory.Host;
import dev.deploy.inventory.Inventory;
import dev.deploy.yaml.YamlFiles;
import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The binary cache as an inventory configures it: the top-level {@code cache:} {@link CacheSettings}, and a
 * {@code cache: off} (or {@code on}) switch that {@code defaults}, a group or a host may set, merged like every single
 * value of the inventory (the host wins over its groups, later groups over earlier ones, groups over defaults). A host
 * with the cache off gets everything by the SSH push.
 */
public record CacheConfig(Optional<CacheSettings> settings, Map<String, Boolean> enabledByHost) {

    /** No cache: every host is pushed to over SSH. */
    public static final CacheConfig NONE = new CacheConfig(Optional.empty(), Map.of());

    /** Reads the {@code cache} fields of {@code inventory}'s file (already validated by the inventory loader). */
    public static CacheConfig load(Inventory inventory) {
        YamlMap top = YamlFiles.load(inventory.file()).map();
        Optional<CacheSettings> settings = top.get("cache").map(CacheSettings::parse);
        Optional<Boolean> defaults = top.get("defaults").flatMap(d -> d.map().get("cache")).map(CacheConfig::toggle);
        Map<String, Optional<Boolean>> groups = new HashMap<>();
        top.get("groups").ifPresent(g -> g.map().entries().forEach((name, group) -> groups.put(name,
                group.isNull() ? Optional.empty() : group.map().get("cache").map(CacheConfig::toggle))));
        Map<String, YamlValue> hosts = top.get("hosts").map(h -> h.map().entries()).orElse(Map.of());
        Map<String, Boolean> enabled = new HashMap<>();
        for (Host host : inventory.hosts()) {
            Optional<Boolean> value = defaults;
            for (String group : host.groups()) {
                Optional<Boolean> own = groups.getOrDefault(group, Optional.empty());
                value = own.isPresent() ? own : value;
            }
            YamlValue raw = hosts.get(host.name());
            Optional<Boolean> own = raw == null || raw.isNull() ? Optional.empty()
                    : raw.map().get("cache").map(CacheConfig::toggle);
            value = own.isPresent() ? own : value;
            enabled.put(host.name(), value.orElse(true));
        }
        return new CacheConfig(settings, Map.copyOf(enabled));
    }

    /** Whether {@code host} substitutes from the cache (a cache is configured and the host does not turn it off). */
    public boolean enabledFor(String host) {
        return settings.isPresent() && enabledByHost.getOrDefault(host, true);
    }

    /** {@code off}/{@code false} or {@code on}/{@code true}; the settings mapping belongs at the top level only. */
    private static boolean toggle(YamlValue value) {
        if (value.isBoolean()) {
            return value.bool();
        }
        if (value.isScalar() && (value.string().equals("off") || value.string().equals("on"))) {
            return value.string().equals("on");
        }
        throw value.error("expected off or on (the cache itself is set by the top-level 'cache:' mapping)");
    }
}
