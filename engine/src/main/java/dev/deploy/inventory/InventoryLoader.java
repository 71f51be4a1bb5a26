package dev.deploy.inventory;

import dev.deploy.yaml.Location;
import dev.deploy.yaml.YamlFiles;
import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an inventory file: {@code defaults} every host inherits, named {@code groups} a host joins, and
 * {@code hosts}. Later layers win for single values (defaults, then groups in the order listed, then the host);
 * tags, groups and modules accumulate; options are merged key by key.
 */
public final class InventoryLoader {

    /** The state directory on SSH hosts unless the inventory says otherwise. */
    public static final String DEFAULT_STATE_DIR = "/var/lib/deploy";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Set<String> TOP = Set.of("modulePath", "defaults", "groups", "hosts", "cache");
    private static final Set<String> SHARED = Set.of("port", "user", "identity", "knownHosts", "jump", "stateDir",
            "tags", "modules", "options", "cache"); // cache: read by dev.deploy.cache.CacheConfig
    private static final Set<String> HOST;
    private static final Set<String> JUMP = Set.of("address", "port", "user", "identity");

    static {
        Set<String> host = new LinkedHashSet<>(SHARED);
        host.addAll(List.of("address", "local", "groups"));
        HOST = Set.copyOf(host);
    }

    private InventoryLoader() {
    }

    public static Inventory load(Path file) {
        YamlMap top = YamlFiles.load(file).map().allowOnly(TOP);
        Path base = file.toAbsolutePath().getParent();

        List<Path> moduleDirs = new ArrayList<>();
        top.get("modulePath").ifPresent(v -> v.stringList().forEach(dir -> moduleDirs.add(resolve(base, dir))));

        Layer defaults = top.get("defaults").map(v -> Layer.read(v.map().allowOnly(SHARED))).orElse(Layer.EMPTY);
        Map<String, Layer> groups = new LinkedHashMap<>();
        top.get("groups").ifPresent(v -> v.map().entries().forEach((name, group) -> {
            checkName(v.map().key(name), name, "group");
            groups.put(name, Layer.read(group.isNull() ? null : group.map().allowOnly(SHARED)));
        }));

        YamlValue hostsValue = top.require("hosts");
        YamlMap hostsMap = hostsValue.map();
        if (hostsMap.entries().isEmpty()) {
            throw hostsValue.error("the inventory has no hosts");
        }
        // Jump hosts may name another inventory host, so read raw host maps first.
        Map<String, YamlMap> rawHosts = new LinkedHashMap<>();
        hostsMap.entries().forEach((name, value) -> {
            checkName(hostsMap.key(name), name, "host");
            rawHosts.put(name, value.isNull() ? null : value.map().allowOnly(HOST));
        });

        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, YamlMap> entry : rawHosts.entrySet()) {
            hosts.add(readHost(entry.getKey(), hostsMap.key(entry.getKey()), entry.getValue(), defaults, groups,
                    rawHosts, base));
        }
        return new Inventory(file, List.copyOf(hosts), List.copyOf(moduleDirs));
    }

    private static Host readHost(String name, YamlValue key, YamlMap map, Layer defaults, Map<String, Layer> groups,
                                 Map<String, YamlMap> rawHosts, Path base) {
        if (map == null) {
            throw key.error("host '" + name + "' needs 'address' or 'local'");
        }
        List<String> groupNames = map.get("groups").map(YamlValue::stringList).orElse(List.of());
        List<Layer> layers = new ArrayList<>();
        layers.add(defaults);
        for (int i = 0; i < groupNames.size(); i++) {
            Layer group = groups.get(groupNames.get(i));
            if (group == null) {
                throw map.require("groups").list().get(i).error("unknown group '" + groupNames.get(i)
                        + "' (groups: " + String.join(", ", groups.keySet()) + ")");
            }
            layers.add(group);
        }
        layers.add(Layer.read(map));
        Layer merged = Layer.merge(layers);

        Optional<YamlValue> local = map.get("local");
        Optional<YamlValue> address = map.get("address");
        HostTarget target;
        if (local.isPresent() && address.isPresent()) {
            throw map.key("local").error("a host is either 'local' or has an 'address', not both");
        } else if (local.isPresent()) {
            YamlMap localMap = local.get().map().allowOnly(Set.of("root"));
            target = new HostTarget.Local(resolve(base, localMap.require("root").string()));
        } else if (address.isPresent()) {
            target = sshTarget(address.get().string(), merged, rawHosts, base, name);
        } else {
            throw key.error("host '" + name + "' needs 'address' (SSH) or 'local: {root: DIR}'");
        }

        Location location = key.location();
        return new Host(name, location, target, List.copyOf(merged.tags), List.copyOf(groupNames),
                List.copyOf(merged.modules.values()), List.copyOf(merged.options.values()));
    }

    private static HostTarget.Ssh sshTarget(String address, Layer merged, Map<String, YamlMap> rawHosts, Path base,
                                            String hostName) {
        int port = merged.port.map(v -> port(v)).orElse(22);
        String user = merged.user.map(YamlValue::string).orElse("root");
        Optional<Path> identity = merged.identity.map(v -> resolve(base, v.string()));
        Optional<Path> knownHosts = merged.knownHosts.map(v -> resolve(base, v.string()));
        String stateDir = merged.stateDir.map(v -> absoluteDir(v)).orElse(DEFAULT_STATE_DIR);
        Optional<HostTarget.Ssh> jump = merged.jump.map(v -> jump(v, rawHosts, base, hostName, knownHosts));
        return new HostTarget.Ssh(address, port, user, identity, knownHosts, jump, stateDir);
    }

    private static HostTarget.Ssh jump(YamlValue value, Map<String, YamlMap> rawHosts, Path base, String hostName,
                                       Optional<Path> knownHosts) {
        if (value.isMap()) {
            YamlMap map = value.map().allowOnly(JUMP);
            return new HostTarget.Ssh(map.require("address").string(),
                    map.get("port").map(InventoryLoader::port).orElse(22),
                    map.string("user", "root"),
                    map.get("identity").map(v -> resolve(base, v.string())),
                    knownHosts, Optional.empty(), DEFAULT_STATE_DIR);
        }
        String name = value.string();
        if (name.equals(hostName)) {
            throw value.error("host '" + hostName + "' cannot be its own jump host");
        }
        YamlMap other = rawHosts.get(name);
        if (other == null || other.get("address").isEmpty()) {
            throw value.error("jump host '" + name + "' is not an SSH host of this inventory"
                    + " (give a host name or {address, port, user})");
        }
        Layer layer = Layer.read(other);
        return new HostTarget.Ssh(other.require("address").string(), layer.port.map(InventoryLoader::port).orElse(22),
                layer.user.map(YamlValue::string).orElse("root"),
                layer.identity.map(v -> resolve(base, v.string())),
                knownHosts, Optional.empty(), DEFAULT_STATE_DIR);
    }

    private static int port(YamlValue value) {
        long port = value.integer();
        if (port < 1 || port > 65535) {
            throw value.error("port must be between 1 and 65535, got " + port);
        }
        return (int) port;
    }

    private static String absoluteDir(YamlValue value) {
        String dir = value.string();
        if (!dir.startsWith("/")) {
            throw value.error("stateDir must be an absolute path, got \"" + dir + "\"");
        }
        return dir;
    }

    private static void checkName(YamlValue key, String name, String what) {
        if (!NAME.matcher(name).matches()) {
            throw key.error("invalid " + what + " name '" + name
                    + "' (letters, digits, '.', '_' and '-', starting with a letter or digit)");
        }
    }

    static Path resolve(Path base, String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1)).normalize();
        }
        return base.resolve(path).normalize();
    }

    /** One layer of host settings: defaults, a group, or a host's own fields. */
    private static final class Layer {
        static final Layer EMPTY = new Layer();

        Optional<YamlValue> port = Optional.empty();
        Optional<YamlValue> user = Optional.empty();
        Optional<YamlValue> identity = Optional.empty();
        Optional<YamlValue> knownHosts = Optional.empty();
        Optional<YamlValue> jump = Optional.empty();
        Optional<YamlValue> stateDir = Optional.empty();
        final Set<String> tags = new LinkedHashSet<>();
        final Map<String, ModuleUse> modules = new LinkedHashMap<>();
        final Map<String, OptionSetting> options = new LinkedHashMap<>();

        static Layer read(YamlMap map) {
            Layer layer = new Layer();
            if (map == null) {
                return layer;
            }
            layer.port = map.get("port");
            layer.user = map.get("user");
            layer.identity = map.get("identity");
            layer.knownHosts = map.get("knownHosts");
            layer.jump = map.get("jump");
            layer.stateDir = map.get("stateDir");
            map.get("tags").ifPresent(v -> layer.tags.addAll(v.stringList()));
            map.get("modules").ifPresent(v -> v.list().forEach(m -> {
                String name = m.string();
                layer.modules.putIfAbsent(name, new ModuleUse(name, m.location()));
            }));
            map.get("options").ifPresent(v -> readOptions(v.map(), layer.options));
            return layer;
        }

        /** {@code module.option: value}, or {@code module: {option: value}}. */
        private static void readOptions(YamlMap options, Map<String, OptionSetting> into) {
            options.entries().forEach((key, value) -> {
                if (key.contains(".")) {
                    into.put(key, new OptionSetting(key, value));
                } else if (value.isMap()) {
                    value.map().entries().forEach((option, inner) ->
                            into.put(key + "." + option, new OptionSetting(key + "." + option, inner)));
                } else {
                    throw options.key(key).error("option '" + key
                            + "' must be written as MODULE.OPTION, or as MODULE: {OPTION: value}");
                }
            });
        }

        static Layer merge(List<Layer> layers) {
            Layer out = new Layer();
            for (Layer layer : layers) {
                out.port = layer.port.isPresent() ? layer.port : out.port;
                out.user = layer.user.isPresent() ? layer.user : out.user;
                out.identity = layer.identity.isPresent() ? layer.identity : out.identity;
                out.knownHosts = layer.knownHosts.isPresent() ? layer.knownHosts : out.knownHosts;
                out.jump = layer.jump.isPresent() ? layer.jump : out.jump;
                out.stateDir = layer.stateDir.isPresent() ? layer.stateDir : out.stateDir;
                out.tags.addAll(layer.tags);
                layer.modules.forEach(out.modules::putIfAbsent);
                out.options.putAll(layer.options);
            }
            return out;
        }
    }
}
