package dev.deploy.module;

import dev.deploy.render.UnitSettings;
import dev.deploy.source.SourceSpec;
import dev.deploy.source.SourceSpecs;
import dev.deploy.yaml.NearMiss;
import dev.deploy.yaml.YamlFiles;
import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses one module file into a {@link ModuleDef}, rejecting unknown fields and malformed declarations. */
public final class ModuleLoader {

    /**
     * The longest name a module declares for itself and its options, sources, files, venvs and secrets: a role
     * {@code MODULE.NAME} is one path segment on hosts ({@code roots/source/MODULE.NAME}, {@code secrets/MODULE.NAME}),
     * and Linux allows 255 bytes (NAME_MAX).
     */
    static final int MAX_NAME = 100;
    /** The longest file name (NAME_MAX): a file's {@code name} is its name in its store path on hosts. */
    static final int MAX_FILE_NAME = 255;
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0," + (MAX_NAME - 1) + "}");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    /** A service is a unit {@code NAME.service}: a plain or instance name systemd accepts (not a template). */
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*(@[A-Za-z0-9_.-]+)?");
    static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A value that is exactly one {@code ${option}} reference: a map option in environment, a source in set. */
    static final Pattern OPTION_REFERENCE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)?)}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_+=-][A-Za-z0-9_.+=-]*");
    /** Names that templates use as namespaces, so no module may take them. */
    static final Set<String> RESERVED = Set.of("sources", "files", "venvs", "secrets", "host", "deploy");

    private static final Set<String> TOP = Set.of("module", "description", "imports", "options", "set", "sources",
            "files", "venvs", "services", "secrets");
    private static final Set<String> VENV = Set.of("project", "package", "extras", "groups", "python", "wheelhouse");
    private static final Set<String> OPTION = Set.of("type", "default", "description");
    private static final Set<String> FILE = Set.of("name", "text", "executable");
    private static final Set<String> SERVICE_FIELDS = Set.of("exec", "description", "environment", "user",
            "workingDirectory", "stateDirectory", "restart", "after", "healthCheck", "secrets", "dynamicUser");
    private static final Set<String> SECRET = Set.of("description", "as", "owner", "group", "mode", "optional");
    /** Secret file modes: read and write bits for owner and group only. */
    private static final Pattern SECRET_MODE = Pattern.compile("0?[0246][0246]0");
    private static final Pattern SECRET_REF = Pattern.compile("([a-z][a-z0-9-]*\\.)?[A-Za-z_][A-Za-z0-9_-]*");
    private static final Set<String> HEALTH = Set.of("http", "command", "timeout");
    private static final Set<String> RESTART = Set.of("no", "always", "on-failure", "on-abnormal", "on-abort",
            "on-success", "on-watchdog");

    private ModuleLoader() {
    }

    public static ModuleDef load(Path file, String expectedName) {
        YamlValue root = YamlFiles.load(file);
        YamlMap top = root.map().allowOnly(TOP);
        YamlValue nameValue = top.require("module");
        String name = nameValue.string();
        if (!name.equals(expectedName)) {
            throw nameValue.error("module is named '" + name + "' but its file is " + file.getFileName()
                    + " (a module lives in NAME.yaml)");
        }
        String description = top.string("description", "");

        List<ModuleRef> imports = new ArrayList<>();
        top.get("imports").ifPresent(v -> v.list().forEach(i -> imports.add(new ModuleRef(i.string(), i.location()))));

        Map<String, OptionDecl> options = new LinkedHashMap<>();
        top.get("options").ifPresent(v -> {
            YamlMap map = v.map();
            map.entries().forEach((optionName, decl) -> {
                checkIdent(map.key(optionName), optionName, "option");
                options.put(optionName, option(name, optionName, decl, map.key(optionName), file));
            });
        });

        Map<String, YamlValue> sets = new LinkedHashMap<>();
        top.get("set").ifPresent(v -> v.map().entries().forEach((target, value) -> {
            if (!target.contains(".")) {
                throw v.map().key(target).error("'set' takes MODULE.OPTION keys, got '" + target + "'");
            }
            sets.put(target, value);
        }));

        Map<String, SourceSpec> sources = new LinkedHashMap<>();
        Path baseDir = file.toAbsolutePath().getParent();
        top.get("sources").ifPresent(v -> v.map().entries().forEach((sourceName, spec) -> {
            checkIdent(v.map().key(sourceName), sourceName, "source");
            sources.put(sourceName, SourceSpecs.parse(spec, baseDir));
        }));

        Map<String, FileDecl> files = new LinkedHashMap<>();
        top.get("files").ifPresent(v -> v.map().entries().forEach((fileName, decl) -> {
            checkIdent(v.map().key(fileName), fileName, "file");
            files.put(fileName, file(fileName, decl));
        }));

        Map<String, VenvDecl> venvs = new LinkedHashMap<>();
        top.get("venvs").ifPresent(v -> v.map().entries().forEach((venvName, decl) -> {
            checkIdent(v.map().key(venvName), venvName, "venv");
            venvs.put(venvName, venv(venvName, decl));
        }));

        Map<String, SecretDecl> secrets = new LinkedHashMap<>();
        top.get("secrets").ifPresent(v -> v.map().entries().forEach((secretName, decl) -> {
            checkIdent(v.map().key(secretName), secretName, "secret");
            secrets.put(secretName, secret(secretName, decl));
        }));

        Map<String, ServiceDecl> services = new LinkedHashMap<>();
        top.get("services").ifPresent(v -> v.map().entries().forEach((serviceName, decl) -> {
            if (!SERVICE.matcher(serviceName).matches() || serviceName.length() > 200) {
                throw v.map().key(serviceName).error("invalid service name '" + serviceName
                        + "' (letters, digits, '_', '.' and '-', at most 200, optionally one @instance)");
            }
            services.put(serviceName, service(name, serviceName, decl));
        }));

        return new ModuleDef(name, file, description, List.copyOf(imports), options, sets, sources, files, venvs,
                services, secrets);
    }

    private static OptionDecl option(String module, String name, YamlValue decl, YamlValue key, Path file) {
        YamlMap map = decl.map().allowOnly(OPTION);
        YamlValue typeValue = map.require("type");
        OptionType type = OptionType.named(typeValue.string());
        if (type == null) {
            List<String> types = List.of("string", "int", "bool", "list", "source", "map");
            throw typeValue.error("unknown option type '" + typeValue.string() + "'"
                    + NearMiss.suggestion(typeValue.string(), types) + " (expected one of: "
                    + String.join(", ", types) + ")");
        }
        Optional<OptionInput> defaultValue = map.get("default")
                .map(value -> OptionInput.parse(type, value, file.toAbsolutePath().getParent()));
        return new OptionDecl(module, name, type, defaultValue, map.string("description", ""), key.location());
    }

    private static FileDecl file(String name, YamlValue decl) {
        YamlMap map = decl.map().allowOnly(FILE);
        String fileName = map.string("name", name);
        if (fileName.length() > MAX_FILE_NAME) {
            throw map.require("name").error("a file name of " + fileName.length() + " characters (at most "
                    + MAX_FILE_NAME + ")");
        }
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw map.require("name").error("invalid file name '" + fileName + "'");
        }
        boolean executable = map.get("executable").map(YamlValue::bool).orElse(false);
        return new FileDecl(name, fileName, Template.parse(map.require("text")), executable, decl.location());
    }

    private static VenvDecl venv(String name, YamlValue decl) {
        YamlMap map = decl.map().allowOnly(VENV);
        // A list of templates, or one template such as ${extras} naming a list option: either way split on spaces.
        List<Template> extras = map.get("extras").map(v -> v.isList() ? v.list() : List.of(v)).orElse(List.of())
                .stream().map(Template::parse).toList();
        List<Template> groups = map.get("groups").map(v -> v.isList() ? v.list() : List.of(v)).orElse(List.of())
                .stream().map(Template::parse).toList();
        return new VenvDecl(name, decl.location(), Template.parse(map.require("project")),
                map.get("package").map(Template::parse), extras, groups, map.get("python").map(Template::parse),
                map.get("wheelhouse").map(Template::parse));
    }

    /** {@code as: env VAR} or {@code as: file}; mode as octal text; owner and group as templates. */
    private static SecretDecl secret(String name, YamlValue decl) {
        YamlMap map = decl.map().allowOnly(SECRET);
        YamlValue as = map.require("as");
        String[] words = as.string().strip().split(" +");
        Optional<String> variable;
        if (words.length == 1 && words[0].equals("file")) {
            variable = Optional.empty();
        } else if (words.length == 2 && words[0].equals("env")) {
            checkEnvironmentName(as, words[1]);
            variable = Optional.of(words[1]);
        } else {
            throw as.error("expected 'env VARIABLE' or 'file', got " + YamlValue.quoted(as.string()));
        }
        int mode = SecretDecl.DEFAULT_MODE;
        if (map.get("mode").isPresent()) {
            YamlValue modeValue = map.require("mode");
            String text = modeValue.string();
            if (!SECRET_MODE.matcher(text).matches()) {
                throw modeValue.error("a secret's mode is octal read/write bits for owner and group, such as 0400"
                        + " or 0440 (never for others, never executable; quote it: '0440'), got "
                        + YamlValue.quoted(text));
            }
            mode = Integer.parseInt(text, 8);
        }
        if (variable.isPresent() && (map.get("owner").isPresent() || map.get("group").isPresent()
                || map.get("mode").isPresent())) {
            throw decl.error("an env secret is read by systemd as root (EnvironmentFile=); owner, group and mode "
                    + "apply to 'as: file'");
        }
        return new SecretDecl(name, decl.location(), map.string("description", ""), variable,
                map.get("owner").map(Template::parse), map.get("group").map(Template::parse), mode,
                map.get("optional").map(YamlValue::bool).orElse(false));
    }

    private static ServiceDecl service(String module, String name, YamlValue decl) {
        YamlMap map = decl.map().allowOnly(SERVICE_FIELDS);
        List<EnvironmentPart> environment = map.get("environment").map(ModuleLoader::environment).orElse(List.of());
        String restart = map.string("restart", "on-failure");
        if (!RESTART.contains(restart)) {
            throw map.require("restart").error("unknown restart policy '" + restart + "'"
                    + NearMiss.suggestion(restart, RESTART) + " (expected one of: "
                    + String.join(", ", new java.util.TreeSet<>(RESTART)) + ")");
        }
        List<String> after = new ArrayList<>();
        map.get("after").ifPresent(v -> v.list().forEach(item -> {
            if (!UnitSettings.isUnitName(item.string())) {
                throw item.error("not a systemd unit name: " + YamlValue.quoted(item.string())
                        + " (like network-online.target or postgresql.service)");
            }
            after.add(item.string());
        }));
        Optional<HealthCheckDecl> health = map.get("healthCheck").map(ModuleLoader::health);
        List<ServiceDecl.SecretRef> secrets = new ArrayList<>();
        map.get("secrets").ifPresent(v -> v.list().forEach(item -> {
            String text = item.string();
            if (!SECRET_REF.matcher(text).matches()) {
                throw item.error("expected a secret's NAME (of this module) or MODULE.NAME, got "
                        + YamlValue.quoted(text));
            }
            int dot = text.indexOf('.');
            secrets.add(new ServiceDecl.SecretRef(dot < 0 ? module : text.substring(0, dot),
                    text.substring(dot + 1), item));
        }));
        return new ServiceDecl(name, decl.location(), Template.parse(map.require("exec")),
                map.get("description").map(Template::parse), environment, map.get("user").map(Template::parse),
                map.get("workingDirectory").map(Template::parse), map.get("stateDirectory").map(Template::parse),
                restart, List.copyOf(after), health, List.copyOf(secrets),
                map.get("dynamicUser").map(YamlValue::bool).orElse(false));
    }

    /** A map, a {@code ${mapOption}} reference, or a list of those; literal variable names are checked here. */
    private static List<EnvironmentPart> environment(YamlValue value) {
        List<YamlValue> parts = value.isList() ? value.list() : List.of(value);
        List<EnvironmentPart> out = new ArrayList<>();
        for (YamlValue part : parts) {
            if (part.isMap()) {
                YamlMap map = part.map();
                Map<String, Template> entries = new LinkedHashMap<>();
                map.entries().forEach((key, entry) -> {
                    checkEnvironmentName(map.key(key), key);
                    entries.put(key, Template.parse(entry));
                });
                out.add(new EnvironmentPart.Entries(entries, map));
            } else if (part.isScalar() && OPTION_REFERENCE.matcher(part.string()).matches()) {
                out.add(new EnvironmentPart.MapOption(Template.parse(part).references().get(0), part));
            } else {
                throw part.error("expected a map of variables or a ${option} naming a map option");
            }
        }
        return List.copyOf(out);
    }

    /** Throws unless {@code name} is a valid environment variable name; {@code at} locates the error. */
    static void checkEnvironmentName(YamlValue at, String name) {
        if (!ENV.matcher(name).matches()) {
            throw at.error("invalid environment variable name '" + name + "'");
        }
    }

    private static HealthCheckDecl health(YamlValue value) {
        YamlMap map = value.map().allowOnly(HEALTH);
        int timeout = 30;
        if (map.get("timeout").isPresent()) {
            YamlValue t = map.require("timeout");
            String text = t.string();
            if (!text.matches("[0-9]{1,9}s?")) {
                throw t.error("timeout must be whole seconds, like 30 or 30s, from 1 to "
                        + HealthCheckDecl.MAX_TIMEOUT_SECONDS + ", got " + YamlValue.quoted(text));
            }
            timeout = Integer.parseInt(text.replace("s", ""));
            if (timeout < 1 || timeout > HealthCheckDecl.MAX_TIMEOUT_SECONDS) {
                throw t.error("timeout must be from 1 to " + HealthCheckDecl.MAX_TIMEOUT_SECONDS + " seconds (one "
                        + "day), got " + YamlValue.quoted(text));
            }
        }
        return new HealthCheckDecl(map.get("http").map(Template::parse), map.get("command").map(Template::parse),
                timeout);
    }

    private static void checkIdent(YamlValue key, String name, String what) {
        if (!IDENT.matcher(name).matches()) {
            throw key.error("invalid " + what + " name '" + name + "' (letters, digits, '_' and '-')");
        }
        if (name.length() > MAX_NAME) {
            throw key.error((what.matches("[aeiou].*") ? "an " : "a ") + what + " name of " + name.length()
                    + " characters (at most " + MAX_NAME + ": MODULE." + what.toUpperCase(java.util.Locale.ROOT)
                    + " names files on hosts)");
        }
    }
}
