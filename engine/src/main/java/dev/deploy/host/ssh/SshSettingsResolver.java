package dev.deploy.host.ssh;

import dev.deploy.DeployException;
import dev.deploy.inventory.HostTarget;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an inventory host's SSH target into {@link SshSettings}, asking OpenSSH's own resolver ({@code ssh -G}, see
 * {@link OpenSshConfig}) what ssh_config says about it when the {@code ssh} client is installed.
 *
 * <p>Precedence, for each setting: the inventory's explicit field (host, then its groups, then {@code defaults}),
 * else ssh_config ({@code ~/.ssh/config} and {@code /etc/ssh/ssh_config}, or the inventory's {@code sshConfig}
 * file alone), else deploy's default (user root, port 22, the usual key files, {@code ~/.ssh/known_hosts},
 * {@link SshTimeouts#DEFAULT}). A value counts as coming from ssh_config when it differs from what {@code ssh -G}
 * prints with an empty configuration ({@code -F /dev/null}). {@link Resolved#origins()} records where each setting
 * came from, for {@code plan --verbose}.
 *
 * <p>Jump hosts: the inventory's {@code jump} (a host of the inventory or inline), else ssh_config's
 * {@code ProxyJump} (a chain of any length, each hop resolved through ssh_config too), else its
 * {@code ProxyCommand}, whose stdin/stdout then carry the connection.
 */
public final class SshSettingsResolver {

    /** Where one setting of one hop came from. */
    public record Origin(String hop, String setting, String value, String source) {
        @Override
        public String toString() {
            return hop + ": " + setting + " " + value + " (" + source + ")";
        }
    }

    /** The settings and, per setting, where its value came from. */
    public record Resolved(SshSettings settings, List<Origin> origins) {
    }

    private static final int MAX_PROXY_JUMPS = 10;

    private final boolean acceptNewHostKeys;
    private final Optional<OpenSshConfig> openSsh;
    private final PassphraseSource passphrases;
    private final Map<List<Object>, Object> queries = new ConcurrentHashMap<>();
    private Optional<Duration> connectTimeoutOverride = Optional.empty();

    /** Uses the {@code ssh} client on {@code PATH}, if there is one. */
    public SshSettingsResolver(boolean acceptNewHostKeys) {
        this(acceptNewHostKeys, OpenSshConfig.findClient(), PassphraseSource.standard());
    }

    /** {@code sshClient} empty: ssh_config is not consulted (as when no {@code ssh} is installed). */
    public SshSettingsResolver(boolean acceptNewHostKeys, Optional<Path> sshClient, PassphraseSource passphrases) {
        this.acceptNewHostKeys = acceptNewHostKeys;
        this.openSsh = sshClient.map(OpenSshConfig::new);
        this.passphrases = passphrases;
    }

    /**
     * Makes {@code timeout} (the command line's {@code --connect-timeout}) the connect limit of every hop, over the
     * inventory and ssh_config. Empty: no override.
     */
    public SshSettingsResolver withConnectTimeoutOverride(Optional<Duration> timeout) {
        this.connectTimeoutOverride = timeout;
        return this;
    }

    /**
     * Resolves {@code target} of the inventory host {@code hostName}.
     *
     * @throws DeployException of kind INPUT, at the host's inventory location, when ssh_config is rejected by
     *                         {@code ssh -G} or a ProxyJump chain is too long
     */
    public Resolved resolve(String hostName, HostTarget.Ssh target) {
        List<Origin> origins = new ArrayList<>();
        SshSettings settings = resolveHop(hostName, target, origins, null);
        return new Resolved(settings, List.copyOf(origins));
    }

    /** {@code explicitSource}: where the hop's explicit user and port come from, when not from the inventory. */
    private SshSettings resolveHop(String name, HostTarget.Ssh target, List<Origin> origins, String explicitSource) {
        HostTarget.SshOptions options = target.options();
        Optional<String> explicitUser = options.explicit().contains("user") ? Optional.of(target.user())
                : Optional.empty();
        Optional<Integer> explicitPort = options.explicit().contains("port") ? Optional.of(target.port())
                : Optional.empty();
        Config config = config(options, target.address(), explicitUser, explicitPort);
        java.util.function.Function<String, String> where = field -> explicitSource != null ? explicitSource
                : options.locationOf(field) == null ? "inventory" : options.locationOf(field).toString();

        String address = config.set("hostname").orElse(target.address());
        origins.add(new Origin(name, "hostname", address, config.set("hostname").isPresent() ? config.source
                : "inventory address"));
        int port;
        if (explicitPort.isPresent()) {
            port = explicitPort.get();
            origins.add(new Origin(name, "port", String.valueOf(port), where.apply("port")));
        } else {
            port = config.set("port").map(Integer::parseInt).orElse(SshSettings.DEFAULT_PORT);
            origins.add(new Origin(name, "port", String.valueOf(port), config.sourceOf("port")));
        }
        String user;
        if (explicitUser.isPresent()) {
            user = explicitUser.get();
            origins.add(new Origin(name, "user", user, where.apply("user")));
        } else {
            user = config.set("user").orElse("root");
            origins.add(new Origin(name, "user", user, config.sourceOf("user")));
        }
        Tokens tokens = new Tokens(address, port, user, target.address(),
                config.set("hostkeyalias").orElse(target.address()));

        SshSettings settings = new SshSettings(name, address, port, user, target.identity(), List.of(), false,
                AgentClient.environmentSocket(), target.knownHosts().orElse(null), acceptNewHostKeys,
                Optional.empty(), Optional.empty(), null, passphrases, List.of(), Optional.empty());
        if (target.identity().isPresent()) {
            origins.add(new Origin(name, "identity", target.identity().get().toString(), where.apply("identity")));
        }
        List<Path> configKeys = new ArrayList<>();
        for (String file : config.setAll("identityfile")) {
            try {
                configKeys.add(tokens.identityFile(file));
            } catch (UnsafeToken e) {
                throw DeployException.input(name, options.location(), e.field, e.getMessage());
            }
        }
        boolean identitiesOnly = config.effective("identitiesonly").map("yes"::equalsIgnoreCase).orElse(false);
        settings = settings.withConfigIdentityFiles(configKeys, identitiesOnly);
        if (!configKeys.isEmpty()) {
            origins.add(new Origin(name, "identityfile", String.join(" ", configKeys.stream().map(Path::toString)
                    .toList()), config.source));
        }
        if (target.identity().isEmpty() && configKeys.isEmpty()) {
            origins.add(new Origin(name, "identity", "~/.ssh/id_ed25519, id_ecdsa, id_rsa (those that exist)",
                    "default"));
        }
        Optional<String> agent = config.set("identityagent");
        if (agent.isPresent()) {
            String value = agent.get();
            Optional<Path> socket = value.equalsIgnoreCase("none") ? Optional.empty()
                    : value.equals("SSH_AUTH_SOCK") ? AgentClient.environmentSocket()
                    : Optional.of(tokens.path(value));
            settings = settings.withAgentSocket(socket);
            origins.add(new Origin(name, "identityagent", value, config.source));
        } else {
            origins.add(new Origin(name, "identityagent", settings.agentSocket().map(Path::toString).orElse("none"),
                    "SSH_AUTH_SOCK"));
        }
        if (target.knownHosts().isPresent()) {
            origins.add(new Origin(name, "knownHosts", target.knownHosts().get().toString(),
                    where.apply("knownHosts")));
        } else if (config.set("userknownhostsfile").isPresent()) {
            Path file = tokens.path(config.set("userknownhostsfile").get().split("\\s+")[0]);
            settings = settings.withKnownHostsFile(file);
            origins.add(new Origin(name, "knownHosts", file.toString(), config.source));
        } else {
            origins.add(new Origin(name, "knownHosts", settings.knownHostsFile().toString(), "default"));
        }
        Optional<String> keyAlias = config.set("hostkeyalias");
        if (keyAlias.isPresent()) {
            settings = settings.withHostKeyAlias(keyAlias);
            origins.add(new Origin(name, "hostKeyAlias", keyAlias.get(), config.source));
        }
        if (target.knownHosts().isEmpty()) {
            // As ssh: the further UserKnownHostsFile files and the GlobalKnownHostsFile files are trusted too (read
            // only). An inventory knownHosts is the project's own trust and stands alone.
            List<Path> also = new ArrayList<>();
            config.effective("userknownhostsfile").stream().flatMap(v -> java.util.Arrays.stream(v.split("\\s+")))
                    .skip(1).map(tokens::path).forEach(also::add);
            config.effective("globalknownhostsfile").stream()
                    .flatMap(v -> java.util.Arrays.stream(v.split("\\s+"))).map(tokens::path).forEach(also::add);
            settings = settings.withAlsoTrustedKnownHosts(also);
            if (!also.isEmpty()) {
                origins.add(new Origin(name, "alsoTrustedKnownHosts", String.join(" ", also.stream()
                        .map(Path::toString).toList()), config.set("userknownhostsfile").isPresent()
                        || config.set("globalknownhostsfile").isPresent() ? config.source : "ssh's default"));
            }
        }
        settings = settings.withTimeouts(timeouts(name, options, config, where, origins));

        if (target.jump().isPresent()) {
            HostTarget.Ssh jump = target.jump().get();
            origins.add(new Origin(name, "jump", jump.options().name(), where.apply("jump")));
            settings = settings.withJumpHost(resolveHop(jump.options().name(), jump, origins, null));
        } else if (config.set("proxyjump").filter(v -> !v.equalsIgnoreCase("none")).isPresent()) {
            String chain = config.set("proxyjump").get();
            origins.add(new Origin(name, "proxyjump", chain, config.source));
            if (origins.stream().filter(o -> o.setting().equals("proxyjump")).count() > MAX_PROXY_JUMPS) {
                throw DeployException.input(name, options.location(), "jump", "ssh_config ProxyJump chain of "
                        + name + " is longer than " + MAX_PROXY_JUMPS + " hops (a cycle?)");
            }
            settings = settings.withJumpHost(proxyJump(name, chain, options, origins, 0));
        } else if (config.set("proxycommand").filter(v -> !v.equalsIgnoreCase("none")).isPresent()) {
            String command;
            try {
                command = tokens.expandCommand(config.set("proxycommand").get());
            } catch (UnsafeToken e) {
                throw DeployException.input(name, options.location(), e.field, e.getMessage());
            }
            origins.add(new Origin(name, "proxycommand", command, config.source));
            settings = settings.withProxyCommand(command);
        }
        return settings;
    }

    private SshTimeouts timeouts(String name, HostTarget.SshOptions options, Config config,
                                 java.util.function.Function<String, String> where,
                                 List<Origin> origins) {
        Duration connect;
        if (connectTimeoutOverride.isPresent()) {
            connect = connectTimeoutOverride.get();
            origins.add(new Origin(name, "connectTimeout", HopWatch.seconds(connect), "--connect-timeout"));
        } else if (options.connectTimeout().isPresent()) {
            connect = options.connectTimeout().get();
            origins.add(new Origin(name, "connectTimeout", HopWatch.seconds(connect), where.apply("connectTimeout")));
        } else if (positiveSeconds(config.set("connecttimeout")).isPresent()) {
            // OpenSSH reads 0 as "no limit": deploy keeps its own then, there is no phase without a deadline.
            connect = positiveSeconds(config.set("connecttimeout")).get();
            origins.add(new Origin(name, "connectTimeout", HopWatch.seconds(connect), config.source));
        } else {
            connect = SshTimeouts.DEFAULT_CONNECT;
            origins.add(new Origin(name, "connectTimeout", HopWatch.seconds(connect), "default"));
        }
        Duration interval;
        if (options.serverAliveInterval().isPresent()) {
            interval = options.serverAliveInterval().get();
            origins.add(new Origin(name, "serverAliveInterval", HopWatch.seconds(interval),
                    where.apply("serverAliveInterval")));
        } else if (positiveSeconds(config.set("serveraliveinterval")).isPresent()) {
            interval = positiveSeconds(config.set("serveraliveinterval")).get();
            origins.add(new Origin(name, "serverAliveInterval", HopWatch.seconds(interval), config.source));
        } else {
            interval = SshTimeouts.DEFAULT_SERVER_ALIVE_INTERVAL;
            origins.add(new Origin(name, "serverAliveInterval", HopWatch.seconds(interval), "default"));
        }
        int count;
        if (options.serverAliveCountMax().isPresent()) {
            count = options.serverAliveCountMax().get();
            origins.add(new Origin(name, "serverAliveCountMax", String.valueOf(count),
                    where.apply("serverAliveCountMax")));
        } else if (config.set("serveralivecountmax").filter(v -> v.matches("[0-9]{1,9}")).isPresent()) {
            count = Math.max(1, Integer.parseInt(config.set("serveralivecountmax").get()));
            origins.add(new Origin(name, "serverAliveCountMax", String.valueOf(count), config.source));
        } else {
            count = SshTimeouts.DEFAULT_SERVER_ALIVE_COUNT_MAX;
            origins.add(new Origin(name, "serverAliveCountMax", String.valueOf(count), "default"));
        }
        return new SshTimeouts(connect, interval, count);
    }

    /** A number of seconds {@code ssh -G} printed, when it is a limit at all (not 0 or {@code none}). */
    private static Optional<Duration> positiveSeconds(Optional<String> value) {
        return value.filter(v -> v.matches("[0-9]{1,10}"))
                .map(Long::parseLong)
                .filter(seconds -> seconds > 0)
                .map(Duration::ofSeconds);
    }

    /**
     * The hop closest to the target of a ProxyJump list {@code a,b,c} (c, reached through b, reached through a);
     * each entry, {@code [user@]host[:port]}, is resolved through ssh_config like any host, and the first one keeps
     * its own ProxyJump or ProxyCommand, as ssh does.
     */
    private SshSettings proxyJump(String of, String chain, HostTarget.SshOptions options, List<Origin> origins,
                                  int depth) {
        if (depth > MAX_PROXY_JUMPS) {
            throw DeployException.input(of, options.location(), "jump", "ssh_config ProxyJump chain for " + of
                    + " is longer than " + MAX_PROXY_JUMPS + " hops (a cycle?)");
        }
        String[] entries = chain.split(",");
        SshSettings previous = null;
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip().replaceFirst("^ssh://", "");
            Optional<String> user = Optional.empty();
            int at = entry.lastIndexOf('@');
            if (at >= 0) {
                user = Optional.of(entry.substring(0, at));
                entry = entry.substring(at + 1);
            }
            Optional<Integer> port = Optional.empty();
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(']') < colon && entry.substring(colon + 1).matches("[0-9]{1,5}")) {
                port = Optional.of(Integer.parseInt(entry.substring(colon + 1)));
                entry = entry.substring(0, colon);
            }
            entry = entry.replace("[", "").replace("]", "");
            // The hop's name in messages, [user@]host[:port] (several hops may share an address).
            String written = user.map(u -> u + "@").orElse("") + (entry.contains(":") ? "[" + entry + "]" : entry)
                    + port.map(p -> ":" + p).orElse("");
            Set explicit = new Set(user, port);
            HostTarget.SshOptions hopOptions = new HostTarget.SshOptions(entry, options.location(), explicit.names(),
                    options.sshConfig(), Optional.empty(), Optional.empty(), Optional.empty());
            HostTarget.Ssh hop = new HostTarget.Ssh(entry, port.orElse(SshSettings.DEFAULT_PORT),
                    user.orElse("root"), Optional.empty(), Optional.empty(), Optional.empty(), "/", hopOptions,
                    Optional.empty());
            SshSettings resolved = resolveHop(written, hop, origins, "ssh_config ProxyJump of " + of);
            if (previous != null) {
                resolved = new SshSettings(resolved.hostName(), resolved.address(), resolved.port(), resolved.user(),
                        resolved.identityFile(), resolved.configIdentityFiles(), resolved.identitiesOnly(),
                        resolved.agentSocket(), resolved.knownHostsFile(), resolved.acceptNewHostKey(),
                        Optional.of(previous), Optional.empty(), resolved.timeouts(), resolved.passphrases(), resolved.alsoTrustedKnownHosts(), resolved.hostKeyAlias());
            }
            if (depth(resolved) > MAX_PROXY_JUMPS) {
                throw DeployException.input(of, options.location(), "jump", "ssh_config ProxyJump chain for " + of
                        + " is longer than " + MAX_PROXY_JUMPS + " hops (a cycle?)");
            }
            previous = resolved;
        }
        return previous;
    }

    private static int depth(SshSettings settings) {
        int depth = 0;
        for (Optional<SshSettings> hop = settings.jumpHost(); hop.isPresent(); hop = hop.get().jumpHost()) {
            depth++;
        }
        return depth;
    }

    /** The user and port given on the command line of {@code ssh -G}, as names of explicit settings. */
    private record Set(Optional<String> user, Optional<Integer> port) {
        java.util.Set<String> names() {
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            user.ifPresent(u -> names.add("user"));
            port.ifPresent(p -> names.add("port"));
            return names;
        }
    }

    /** What ssh_config says about one host, compared with ssh's built-in defaults. */
    private final class Config {
        final OpenSshConfig.Effective effective;
        final OpenSshConfig.Effective defaults;
        final String source;

        Config(OpenSshConfig.Effective effective, OpenSshConfig.Effective defaults, String source) {
            this.effective = effective;
            this.defaults = defaults;
            this.source = source;
        }

        /** The value when ssh_config set it (it differs from ssh's default). */
        Optional<String> set(String keyword) {
            Optional<String> value = effective.first(keyword);
            return value.isPresent() && !effective.all(keyword).equals(defaults.all(keyword)) ? value
                    : Optional.empty();
        }

        List<String> setAll(String keyword) {
            return effective.all(keyword).equals(defaults.all(keyword)) ? List.of() : effective.all(keyword);
        }

        Optional<String> effective(String keyword) {
            return effective.first(keyword);
        }

        String sourceOf(String keyword) {
            return set(keyword).isPresent() ? source : "default";
        }
    }

    private Config config(HostTarget.SshOptions options, String alias, Optional<String> user, Optional<Integer> port) {
        if (openSsh.isEmpty()) {
            OpenSshConfig.Effective none = new OpenSshConfig.Effective(Map.of());
            return new Config(none, none, "no ssh client installed");
        }
        OpenSshConfig ssh = openSsh.get();
        String source = "ssh_config" + options.sshConfig().map(file -> " " + file).orElse("") + " via ssh -G";
        OpenSshConfig.Effective effective = query(ssh, options, options.sshConfig(), alias, user, port);
        OpenSshConfig.Effective defaults = query(ssh, options, Optional.of(Path.of("/dev/null")), alias, user, port);
        return new Config(effective, defaults, source);
    }

    private OpenSshConfig.Effective query(OpenSshConfig ssh, HostTarget.SshOptions options, Optional<Path> file,
                                          String alias, Optional<String> user, Optional<Integer> port) {
        List<Object> key = List.of(file.map(Path::toString).orElse(""), alias, user.orElse(""), port.orElse(0));
        Object known = queries.computeIfAbsent(key, k -> {
            try {
                return ssh.query(file, alias, user, port);
            } catch (OpenSshConfig.ConfigProblem e) {
                return e;
            }
        });
        if (known instanceof OpenSshConfig.ConfigProblem problem) {
            throw DeployException.input(options.name(), options.location(), "address", problem.getMessage());
        }
        return (OpenSshConfig.Effective) known;
    }

    /** A value that would be shell syntax in a ProxyCommand; {@code field} is the inventory field it comes from. */
    private static final class UnsafeToken extends Exception {
        final String field;

        UnsafeToken(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    /** Characters {@code sh} would read as syntax (OpenSSH 9.6 refuses them in user and host names too). */
    private static final String SHELL_SYNTAX = "'`\"$\\;&<>|(){}";

    /**
     * OpenSSH's percent tokens (ssh_config(5), TOKENS) and {@code ~} in IdentityFile, IdentityAgent, known_hosts and
     * ProxyCommand. {@code ssh -G} prints IdentityFile unexpanded, so deploy expands it as ssh would; IdentityAgent
     * and UserKnownHostsFile come already expanded from OpenSSH 9.
     *
     * @param host     the host name to connect to (after HostName), {@code %h}
     * @param alias    the name as given (the inventory's address), {@code %n}
     * @param keyAlias HostKeyAlias, else the name as given, {@code %k}
     */
    private record Tokens(String host, int port, String user, String alias, String keyAlias) {

        /**
         * A ProxyCommand with its tokens expanded. It runs with {@code sh -c}, as for ssh, where the command's author
         * places the tokens (often inside quotes of their own); so the inventory's values are not quoted but must be
         * plain words: a user or host name with shell syntax is refused rather than run.
         */
        String expandCommand(String text) throws UnsafeToken {
            for (int i = 0; i + 1 < text.length(); i++) {
                if (text.charAt(i) != '%') {
                    continue;
                }
                char token = text.charAt(++i);
                switch (token) {
                    case 'h' -> plainWord("address", "host name", host);
                    case 'r' -> plainWord("user", "user", user);
                    case 'n' -> plainWord("address", "address", alias);
                    default -> {
                    }
                }
            }
            return expand(text);
        }

        private static void plainWord(String field, String what, String value) throws UnsafeToken {
            boolean unsafe = value.isEmpty() || value.startsWith("-") || value.chars().anyMatch(c ->
                    c <= ' ' || c == 127 || SHELL_SYNTAX.indexOf(c) >= 0);
            if (unsafe) {
                throw new UnsafeToken(field, "the " + what + " \"" + value + "\" is not a plain word, and ssh_config's"
                        + " ProxyCommand would hand it to the shell; use a plain name");
            }
        }

        String expand(String text) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '%' || i + 1 == text.length()) {
                    out.append(c);
                    continue;
                }
                char token = text.charAt(++i);
                switch (token) {
                    case '%' -> out.append('%');
                    case 'h' -> out.append(host);
                    case 'p' -> out.append(port);
                    case 'r' -> out.append(user);
                    case 'n' -> out.append(alias);
                    case 'd' -> out.append(System.getProperty("user.home"));
                    case 'u' -> out.append(System.getProperty("user.name"));
                    case 'l' -> out.append(LocalUser.hostName());
                    default -> out.append('%').append(token);
                }
            }
            return out.toString();
        }

        /**
         * An IdentityFile as ssh reads it: {@code ~}, {@code ${VAR}} and every token IdentityFile accepts in
         * OpenSSH 9 ({@code %% %C %d %h %i %k %L %l %n %p %r %u}); any other token is refused as ssh refuses it.
         */
        Path identityFile(String text) throws UnsafeToken {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                    int end = text.indexOf('}', i);
                    String variable = end < 0 ? "" : text.substring(i + 2, end);
                    String value = variable.isEmpty() ? null : System.getenv(variable);
                    if (value == null) {
                        throw new UnsafeToken("address", "ssh_config IdentityFile " + text + ": environment variable "
                                + (variable.isEmpty() ? "in ${...}" : variable) + " is not set");
                    }
                    out.append(value);
                    i = end;
                    continue;
                }
                if (c != '%') {
                    out.append(c);
                    continue;
                }
                char token = i + 1 < text.length() ? text.charAt(++i) : ' ';
                switch (token) {
                    case '%' -> out.append('%');
                    case 'C' -> out.append(connectionHash());
                    case 'd' -> out.append(System.getProperty("user.home"));
                    case 'h' -> out.append(host);
                    case 'i' -> out.append(LocalUser.uid());
                    case 'k' -> out.append(keyAlias);
                    case 'L' -> out.append(LocalUser.hostName().split("\\.", 2)[0]);
                    case 'l' -> out.append(LocalUser.hostName());
                    case 'n' -> out.append(alias);
                    case 'p' -> out.append(port);
                    case 'r' -> out.append(user);
                    case 'u' -> out.append(System.getProperty("user.name"));
                    default -> throw new UnsafeToken("address", "ssh_config IdentityFile " + text + ": unknown token %"
                            + token + " (ssh refuses it too)");
                }
            }
            return path(out.toString().replace("%", "%%"));
        }

        /** {@code %C}: the SHA-1 of {@code %l%h%p%r} in hex, as OpenSSH computes it. */
        private String connectionHash() {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(
                        (LocalUser.hostName() + host + port + user).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-1", e);
            }
        }

        Path path(String text) {
            String expanded = expand(text);
            if (expanded.equals("~") || expanded.startsWith("~/")) {
                expanded = System.getProperty("user.home") + expanded.substring(1);
            }
            return Path.of(expanded);
        }
    }

    @Override
    public String toString() {
        return "SshSettingsResolver[" + openSsh.map(OpenSshConfig::client).map(Objects::toString).orElse("no ssh")
                + "]";
    }
}
