package dev.deploy.inventory;

import dev.deploy.host.become.Become;
import dev.deploy.secret.SecretSources;
import dev.deploy.Location;
import dev.deploy.yaml.NearMiss;
import dev.deploy.yaml.YamlFiles;
import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * tags, groups and modules accumulate; options are merged key by key. A top-level {@code rollout} section holds
 * defaults for {@code deploy apply} ({@link RolloutDefaults}).
 */
public final class InventoryLoader {

    /** The state directory on SSH hosts unless the inventory says otherwise. */
    public static final String DEFAULT_STATE_DIR = "/var/lib/deploy";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Set<String> TOP = Set.of("modulePath", "defaults", "groups", "hosts", "rollout", "cache");
    private static final Set<String> SHARED = Set.of("port", "user", "identity", "knownHosts", "jump", "stateDir",
            "tags", "modules", "options", "become", "becomePasswordCommand", "sshConfig", "connectTimeout",
            "serverAliveInterval", "serverAliveCountMax", "confirmTimeout", "magicRollback", "takeOver",
            "cache", "secrets"); // cache: read by dev.deploy.cache.CacheConfig
    private static final Set<String> HOST;
    private static final Set<String> JUMP = Set.of("address", "port", "user", "identity", "knownHosts", "jump",
            "sshConfig", "connectTimeout", "serverAliveInterval", "serverAliveCountMax");
    private static final Set<String> LOCAL = Set.of("root", "services");
    /** Every duration of an inventory: digits and a unit (ms, s, m, h; seconds when none). */
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

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

        Targets targets = new Targets(rawHosts, hostsMap, defaults, groups, base);
        List<Host> hosts = new ArrayList<>();
        for (Map.Entry<String, YamlMap> entry : rawHosts.entrySet()) {
            hosts.add(readHost(entry.getKey(), hostsMap.key(entry.getKey()), entry.getValue(), targets));
        }
        RolloutDefaults rollout = top.get("rollout").map(RolloutDefaults::read).orElse(RolloutDefaults.NONE);
        return new Inventory(file, List.copyOf(hosts), List.copyOf(moduleDirs), List.copyOf(groups.keySet()), rollout);
    }

    private static Host readHost(String name, YamlValue key, YamlMap map, Targets targets) {
        if (map == null) {
            throw key.error("host '" + name + "' needs 'address' or 'local'");
        }
        List<String> groupNames = map.get("groups").map(YamlValue::stringList).orElse(List.of());
        Layer merged = targets.merged(name);

        Optional<YamlValue> local = map.get("local");
        Optional<YamlValue> address = map.get("address");
        HostTarget target;
        if (local.isPresent() && address.isPresent()) {
            throw map.key("local").error("a host is either 'local' or has an 'address', not both");
        } else if (local.isPresent()) {
            YamlMap localMap = local.get().map().allowOnly(LOCAL);
            boolean systemd = localMap.get("services").map(InventoryLoader::services).orElse(false);
            YamlValue rootValue = localMap.require("root");
            checkStateDir(rootValue, rootValue.string());
            Path root = resolve(targets.base, rootValue.string());
            checkStateDir(rootValue, root.toAbsolutePath().toString());
            target = new HostTarget.Local(root, systemd, become(merged));
        } else if (address.isPresent()) {
            target = targets.ssh(name, new LinkedHashSet<>());
        } else {
            throw key.error("host '" + name + "' needs 'address' (SSH) or 'local: {root: DIR}'");
        }

        Location location = key.location();
        ActivationPolicy activation = new ActivationPolicy(
                merged.confirmTimeout.map(InventoryLoader::confirmTimeout).orElse(ActivationPolicy.DEFAULT_CONFIRM_TIMEOUT),
                merged.magicRollback.map(YamlValue::bool).orElse(true),
                List.copyOf(merged.takeOver));
        return new Host(name, location, target, List.copyOf(merged.tags), List.copyOf(groupNames),
                List.copyOf(merged.modules.values()), List.copyOf(merged.options.values()), activation,
                List.copyOf(merged.secrets.values()));
    }

    /**
     * Builds the SSH targets of hosts and of their jump hosts. A jump host named in the inventory is a host like any
     * other (defaults, its groups, its own fields, its own jump); an inline {@code jump: {address, ...}} inherits
     * {@code defaults}. A cycle of jump hosts is an error.
     */
    private static final class Targets {
        final Map<String, YamlMap> rawHosts;
        final YamlMap hostsMap;
        final Layer defaults;
        final Map<String, Layer> groups;
        final Path base;
        final Map<String, HostTarget.Ssh> built = new HashMap<>();

        Targets(Map<String, YamlMap> rawHosts, YamlMap hostsMap, Layer defaults, Map<String, Layer> groups, Path base) {
            this.rawHosts = rawHosts;
            this.hostsMap = hostsMap;
            this.defaults = defaults;
            this.groups = groups;
            this.base = base;
        }

        /** Defaults, then the host's groups in order, then its own fields. */
        Layer merged(String name) {
            YamlMap map = rawHosts.get(name);
            List<String> groupNames = map.get("groups").map(YamlValue::stringList).orElse(List.of());
            List<Layer> layers = new ArrayList<>();
            layers.add(defaults);
            for (int i = 0; i < groupNames.size(); i++) {
                Layer group = groups.get(groupNames.get(i));
                if (group == null) {
                    throw map.require("groups").list().get(i).error("unknown group '" + groupNames.get(i)
                            + "'" + NearMiss.suggestion(groupNames.get(i), groups.keySet()) + " (groups: "
                            + String.join(", ", groups.keySet()) + ")");
                }
                layers.add(group);
            }
            layers.add(Layer.read(map));
            return Layer.merge(layers);
        }

        HostTarget.Ssh ssh(String name, Set<String> visiting) {
            HostTarget.Ssh known = built.get(name);
            if (known != null) {
                return known;
            }
            if (!visiting.add(name)) {
                throw hostsMap.key(name).error("jump hosts form a cycle: " + String.join(" -> ", visiting) + " -> "
                        + name);
            }
            YamlMap map = rawHosts.get(name);
            HostTarget.Ssh target = sshTarget(name, name, hostsMap.key(name).location(), map.require("address"),
                    merged(name), map.get("jump"), visiting);
            visiting.remove(name);
            built.put(name, target);
            return target;
        }

        /**
         * @param self    the key of this host in {@code visiting}: its name, or {@link #inlineKey} of an inline jump
         * @param ownJump the {@code jump} written on this host itself (not inherited), if any
         */
        private HostTarget.Ssh sshTarget(String name, String self, Location location, YamlValue addressValue,
                                         Layer merged, Optional<YamlValue> ownJump, Set<String> visiting) {
            String address = address(addressValue);
            int port = merged.port.map(InventoryLoader::port).orElse(22);
            String user = merged.user.map(InventoryLoader::user).orElse("root");
            Optional<Path> identity = merged.identity.map(this::identity);
            Optional<Path> knownHosts = merged.knownHosts.map(v -> resolve(base, v.string()));
            String stateDir = merged.stateDir.map(InventoryLoader::absoluteDir).orElse(DEFAULT_STATE_DIR);
            Set<String> explicit = new LinkedHashSet<>();
            merged.port.ifPresent(v -> explicit.add("port"));
            merged.user.ifPresent(v -> explicit.add("user"));
            HostTarget.SshOptions options = new HostTarget.SshOptions(name, location, explicit,
                    merged.sshConfig.map(v -> resolve(base, v.string())),
                    merged.connectTimeout.map(v -> duration(v, Duration.ofMillis(100), Duration.ofHours(1))),
                    merged.serverAliveInterval.map(v -> duration(v, Duration.ofSeconds(1), Duration.ofHours(1))),
                    merged.serverAliveCountMax.map(InventoryLoader::aliveCount), fieldLocations(merged));
            Optional<HostTarget.Ssh> jump = merged.jump.flatMap(v -> jump(v, name, self,
                    ownJump.filter(own -> own.location().equals(v.location())).isPresent(), visiting));
            return new HostTarget.Ssh(address, port, user, identity, knownHosts, jump, stateDir, options,
                    become(merged));
        }

        /** Where each SSH field of {@code merged} was written, for {@code plan --verbose}. */
        private static Map<String, Location> fieldLocations(Layer merged) {
            Map<String, Location> locations = new java.util.HashMap<>();
            merged.port.ifPresent(v -> locations.put("port", v.location()));
            merged.user.ifPresent(v -> locations.put("user", v.location()));
            merged.identity.ifPresent(v -> locations.put("identity", v.location()));
            merged.knownHosts.ifPresent(v -> locations.put("knownHosts", v.location()));
            merged.connectTimeout.ifPresent(v -> locations.put("connectTimeout", v.location()));
            merged.serverAliveInterval.ifPresent(v -> locations.put("serverAliveInterval", v.location()));
            merged.serverAliveCountMax.ifPresent(v -> locations.put("serverAliveCountMax", v.location()));
            merged.jump.ifPresent(v -> locations.put("jump", v.location()));
            return locations;
        }

        /**
         * The jump host {@code value} names for the host {@code hostName}. A jump host never goes through itself: a
         * {@code jump} inherited from {@code defaults} or a group that is the host itself ("every host through the
         * bastion", the bastion included) is not applied to it; written on the host itself, it is an error.
         */
        private Optional<HostTarget.Ssh> jump(YamlValue value, String hostName, String self, boolean own,
                                              Set<String> visiting) {
            String key = value.isMap() ? inlineKey(value) : value.string();
            if (key.equals(self)) {
                if (own) {
                    throw value.error("host '" + hostName + "' cannot be its own jump host");
                }
                return Optional.empty();
            }
            if (value.isMap()) {
                if (!visiting.add(key)) {
                    throw value.error("jump hosts form a cycle: " + String.join(" -> ", visiting) + " -> " + key);
                }
                YamlMap map = value.map().allowOnly(JUMP);
                Layer inline = Layer.merge(List.of(defaults, Layer.read(map)));
                inline.stateDir = Optional.empty();
                HostTarget.Ssh target = sshTarget("jump host of " + hostName, key, value.location(),
                        map.require("address"), inline, map.get("jump"), visiting);
                visiting.remove(key);
                return Optional.of(target);
            }
            String name = value.string();
            YamlMap other = rawHosts.get(name);
            if (other == null || other.get("address").isEmpty()) {
                throw value.error("jump host '" + name + "' is not an SSH host of this inventory"
                        + NearMiss.suggestion(name, rawHosts.entrySet().stream()
                                .filter(h -> h.getValue().get("address").isPresent()).map(Map.Entry::getKey).toList())
                        + " (give a host name or {address, port, user})");
            }
            return Optional.of(ssh(name, visiting));
        }

        /** How an inline jump host is named in {@code visiting}: where it is written. */
        private static String inlineKey(YamlValue value) {
            return "jump at " + value.location();
        }

        /** A private key file must exist: a missing one is an input error, not a failed login. */
        private Path identity(YamlValue value) {
            Path file = resolve(base, value.string());
            if (!Files.isRegularFile(file)) {
                throw value.error("identity file " + file + " does not exist");
            }
            return file;
        }
    }

    /**
     * A host name, IP address or ssh_config alias. It is handed to {@code ssh -G} as an argument, so it may not
     * start with '-' (it would be read as an option) nor contain blanks or control characters.
     */
    private static String address(YamlValue value) {
        String address = value.string();
        if (address.isEmpty() || address.startsWith("-")
                || address.chars().anyMatch(c -> c <= ' ' || c == 127 || c == ',')) {
            throw value.error("not a host name, address or ssh_config alias: \"" + address + "\"");
        }
        return address;
    }

    /**
     * An SSH login name. It is handed to {@code ssh -G} as an argument and sent to the server, so it is not empty,
     * does not start with '-', and holds no blank or control character.
     */
    private static String user(YamlValue value) {
        String user = value.string();
        if (user.isEmpty() || user.startsWith("-") || dev.deploy.render.Characters.firstForbidden(user) >= 0
                || user.chars().anyMatch(Character::isWhitespace)) {
            throw value.error("not a user name: " + YamlValue.quoted(user));
        }
        return user;
    }

    private static Optional<Become> become(Layer merged) {
        if (merged.become.isEmpty()) {
            if (merged.becomePasswordCommand.isPresent()) {
                throw merged.becomePasswordCommand.get().error("becomePasswordCommand needs 'become: sudo' (or doas)");
            }
            return Optional.empty();
        }
        YamlValue value = merged.become.get();
        if (value.isBoolean() && !value.bool() || value.isScalar() && value.string().equals("none")) {
            return Optional.empty();
        }
        Become.Method method = Become.Method.named(value.string()).orElseThrow(() -> value.error(
                "become must be sudo, doas or none, got \"" + value.string() + "\""
                        + NearMiss.suggestion(value.string(), List.of("sudo", "doas", "none"))));
        Optional<String> command = merged.becomePasswordCommand.map(YamlValue::string);
        return Optional.of(new Become(method, command));
    }

    private static boolean services(YamlValue value) {
        return switch (value.string()) {
            case "systemd" -> true;
            case "none" -> false;
            default -> throw value.error("services must be systemd or none, got \"" + value.string() + "\""
                    + NearMiss.suggestion(value.string(), List.of("systemd", "none")));
        };
    }

    /** {@code 15}, {@code 15s}, {@code 2m}, {@code 1h} or {@code 500ms}, between {@code min} and {@code max}. */
    static Duration duration(YamlValue value, Duration min, Duration max) {
        String text = value.string().strip();
        java.util.regex.Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw value.error("expected a duration such as 15s, 2m, 1h or 500ms, got \"" + text + "\"");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration duration = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            throw value.error("must be between " + describe(min) + " and " + describe(max) + ", got " + text);
        }
        return duration;
    }

    /** A duration as written in an inventory: {@code 100ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
    static String describe(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static int aliveCount(YamlValue value) {
        long count = value.integer();
        if (count < 1 || count > 100) {
            throw value.error("serverAliveCountMax must be between 1 and 100, got " + count);
        }
        return (int) count;
    }

    private static int port(YamlValue value) {
        long port = value.integer();
        if (port < 1 || port > 65535) {
            throw value.error("port must be between 1 and 65535, got " + port);
        }
        return (int) port;
    }

    /** {@code confirmTimeout}: a duration between 5s and 1h. */
    private static Duration confirmTimeout(YamlValue value) {
        return duration(value, ActivationPolicy.MIN_CONFIRM_TIMEOUT, ActivationPolicy.MAX_CONFIRM_TIMEOUT);
    }

    static String absoluteDir(YamlValue value) {
        String dir = value.string();
        checkStateDir(value, dir);
        if (!dir.startsWith("/")) {
            throw value.error("stateDir must be an absolute path, got \"" + dir + "\"");
        }
        return dir;
    }

    /** The longest state directory, in bytes: what deploy keeps below it must still fit PATH_MAX (4096). */
    static final int MAX_STATE_DIR_BYTES = 1024;

    /**
     * A state directory ({@code stateDir}, a local target's {@code root}, as {@code path} will be used) goes into
     * host scripts, unit files and messages: no control character (one would end a unit file's line), at most
     * {@link #MAX_STATE_DIR_BYTES} bytes, no segment longer than a file name (NAME_MAX, 255 bytes).
     */
    private static void checkStateDir(YamlValue value, String path) {
        int bad = dev.deploy.render.Characters.firstForbidden(path);
        if (bad >= 0) {
            throw value.error("control character " + dev.deploy.render.Characters.describe(path.charAt(bad))
                    + " in a state directory");
        }
        int bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_STATE_DIR_BYTES) {
            throw value.error("a state directory of " + bytes + " bytes (at most " + MAX_STATE_DIR_BYTES
                    + ": what deploy keeps below it must fit a host's 4096-byte paths)");
        }
        for (String segment : path.split("/")) {
            int length = segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (length > 255) {
                throw value.error("a path segment of " + length + " bytes (at most 255) in a state directory");
            }
        }
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
        Optional<YamlValue> become = Optional.empty();
        Optional<YamlValue> becomePasswordCommand = Optional.empty();
        Optional<YamlValue> sshConfig = Optional.empty();
        Optional<YamlValue> connectTimeout = Optional.empty();
        Optional<YamlValue> serverAliveInterval = Optional.empty();
        Optional<YamlValue> serverAliveCountMax = Optional.empty();
        Optional<YamlValue> confirmTimeout = Optional.empty();
        Optional<YamlValue> magicRollback = Optional.empty();
        final Set<String> takeOver = new LinkedHashSet<>();
        final Set<String> tags = new LinkedHashSet<>();
        final Map<String, ModuleUse> modules = new LinkedHashMap<>();
        final Map<String, OptionSetting> options = new LinkedHashMap<>();
        final Map<String, SecretSetting> secrets = new LinkedHashMap<>();

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
            layer.become = map.get("become");
            layer.becomePasswordCommand = map.get("becomePasswordCommand");
            layer.sshConfig = map.get("sshConfig");
            layer.connectTimeout = map.get("connectTimeout");
            layer.serverAliveInterval = map.get("serverAliveInterval");
            layer.serverAliveCountMax = map.get("serverAliveCountMax");
            layer.confirmTimeout = map.get("confirmTimeout");
            layer.magicRollback = map.get("magicRollback");
            map.get("takeOver").ifPresent(v -> v.list().forEach(item -> {
                String service = item.string();
                if (!NAME.matcher(service).matches()) {
                    throw item.error("takeOver: '" + service + "' is not a service name");
                }
                layer.takeOver.add(service);
            }));
            map.get("tags").ifPresent(v -> layer.tags.addAll(v.stringList()));
            map.get("modules").ifPresent(v -> v.list().forEach(m -> {
                String name = m.string();
                layer.modules.putIfAbsent(name, new ModuleUse(name, m.location()));
            }));
            map.get("options").ifPresent(v -> readOptions(v.map(), layer.options));
            map.get("secrets").ifPresent(v -> readSecrets(v.map(), layer.secrets));
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

        /** {@code module.secret: SOURCE}, or {@code module: {secret: SOURCE}}; see {@link SecretSources}. */
        private static void readSecrets(YamlMap secrets, Map<String, SecretSetting> into) {
            secrets.entries().forEach((key, value) -> {
                Path base = Path.of(value.file()).toAbsolutePath().getParent();
                if (key.contains(".")) {
                    into.put(key, new SecretSetting(key, SecretSources.parse(value, base, Layer::timeout)));
                } else if (value.isMap() && value.map().get("file").isEmpty() && value.map().get("command").isEmpty()
                        && value.map().get("env").isEmpty()) {
                    value.map().entries().forEach((secret, inner) -> into.put(key + "." + secret,
                            new SecretSetting(key + "." + secret, SecretSources.parse(inner, base, Layer::timeout))));
                } else {
                    throw secrets.key(key).error("secret '" + key
                            + "' must be written as MODULE.SECRET, or as MODULE: {SECRET: source}");
                }
            });
        }

        private static Duration timeout(YamlValue value) {
            return duration(value, Duration.ofSeconds(1), Duration.ofHours(1));
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
                out.become = layer.become.isPresent() ? layer.become : out.become;
                out.becomePasswordCommand = layer.becomePasswordCommand.isPresent()
                        ? layer.becomePasswordCommand : out.becomePasswordCommand;
                out.sshConfig = layer.sshConfig.isPresent() ? layer.sshConfig : out.sshConfig;
                out.connectTimeout = layer.connectTimeout.isPresent() ? layer.connectTimeout : out.connectTimeout;
                out.serverAliveInterval = layer.serverAliveInterval.isPresent()
                        ? layer.serverAliveInterval : out.serverAliveInterval;
                out.serverAliveCountMax = layer.serverAliveCountMax.isPresent()
                        ? layer.serverAliveCountMax : out.serverAliveCountMax;
                out.confirmTimeout = layer.confirmTimeout.isPresent() ? layer.confirmTimeout : out.confirmTimeout;
                out.magicRollback = layer.magicRollback.isPresent() ? layer.magicRollback : out.magicRollback;
                out.takeOver.addAll(layer.takeOver);
                out.tags.addAll(layer.tags);
                layer.modules.forEach(out.modules::putIfAbsent);
                out.options.putAll(layer.options);
                out.secrets.putAll(layer.secrets);
            }
            return out;
        }
    }
}
