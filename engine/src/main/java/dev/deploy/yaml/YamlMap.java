package dev.deploy.yaml;

import dev.deploy.Location;
import dev.deploy.DeployException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A YAML mapping with string keys in file order. Duplicate keys and keys outside the set a reader allows are
 * errors that name the key's own line.
 */
public final class YamlMap {

    private final Map<String, YamlValue> entries = new LinkedHashMap<>();
    private final Map<String, YamlValue> keys = new LinkedHashMap<>();
    private final String field;
    private final Location location;

    YamlMap(MappingNode node, String file, String field, Location location) {
        this.field = field;
        this.location = location;
        for (NodeTuple tuple : node.getValue()) {
            YamlValue keyValue = new YamlValue(tuple.getKeyNode(), file, field);
            if (!(tuple.getKeyNode() instanceof ScalarNode scalar)) {
                throw keyValue.error("keys must be plain strings");
            }
            String key = scalar.getValue();
            String childField = field.isEmpty() ? key : field + "." + key;
            if (entries.containsKey(key)) {
                throw new YamlValue(tuple.getKeyNode(), file, childField).error("duplicate key '" + key + "'");
            }
            keys.put(key, new YamlValue(tuple.getKeyNode(), file, childField));
            entries.put(key, new YamlValue(tuple.getValueNode(), file, childField));
        }
    }

    public Location location() {
        return location;
    }

    public String field() {
        return field;
    }

    /** Entries in file order. */
    public Map<String, YamlValue> entries() {
        return entries;
    }

    /** The key node itself, for errors about a key rather than its value. */
    public YamlValue key(String key) {
        return keys.get(key);
    }

    public Optional<YamlValue> get(String key) {
        YamlValue value = entries.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    public YamlValue require(String key) {
        return get(key).orElseThrow(() -> DeployException.input(location,
                field.isEmpty() ? null : field, "missing required field '" + key + "'"));
    }

    public String string(String key, String fallback) {
        return get(key).map(YamlValue::string).orElse(fallback);
    }

    /** Rejects any key not in {@code allowed}, naming the first such key and what is allowed. */
    public YamlMap allowOnly(Set<String> allowed) {
        KnownFields.allowOnly(this, allowed);
        for (Map.Entry<String, YamlValue> key : keys.entrySet()) {
            if (!allowed.contains(key.getKey())) {
                throw key.getValue().error("unknown field '" + key.getKey() + "'"
                        + NearMiss.suggestion(key.getKey(), allowed) + " (expected one of: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return this;
    }
}
