package dev.deploy.module;

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

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]*");
    static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A value that is exactly one {@code ${option}} reference: a map option in environment, a source in set. */
    static final Pattern OPTION_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)?)}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_+=-][A-Za-z0-9_.+=-]*");
    /** Names that templates use as namespaces, so no module may take them. */
    static final Set<String> RESERVED = Set.of("sources", "files", "venvs", "host", "deploy");

    private static final Set<String> TOP = Set.of("module", "description", "imports", "options", "set", "sources",
            "files", "venvs", "services");
    private static final Set<String> VENV = Set.of("project", "package", "extras", "groups", "python", "wheelhouse");
    private static final Set<String> OPTION = Set.of("type", "default", "description");
    private static final Set<String> FILE = Set.of("name", "text", "executable");
    private static final Set<String> SERVICE_FIELDS = Set.of("exec", "description", "environment", "user",
            "workingDirectory", "stateDirectory", "restart", "after", "healthCheck");
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
                options.put(optionName, option(name, optionName, decl, map.key(optionName)));
            });
        });

        Map<String, YamlValue> sets = new LinkedHashMap<>();
        top.get("set").ifPresent(v -> v.map().entries().forEach((target, value) -> {
            if (!target.contains(".")) {
                throw v.map().key(target).error("'set' takes MODULE.OPTION keys, got '" + target + "'");
            }
            sets.put(target, value);
        }));

        Map<String, YamlValue> sources = new LinkedHashMap<>();
        top.get("sources").ifPresent(v -> v.map().entries().forEach((sourceName, spec) -> {
            checkIdent(v.map().key(sourceName), sourceName, "source");
            sources.put(sourceName, spec);
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

        Map<String, ServiceDecl> services = new LinkedHashMap<>();
        top.get("services").ifPresent(v -> v.map().entries().forEach((serviceName, decl) -> {
            if (!SERVICE.matcher(serviceName).matches()) {
                throw v.map().key(serviceName).error("invalid service name '" + serviceName
                        + "' (letters, digits, '_', '.', '@' and '-')");
            }
            services.put(serviceName, service(serviceName, decl));
        }));

        return new ModuleDef(name, file, description, List.copyOf(imports), options, sets, sources, files, venvs,
                services);
    }

    private static OptionDecl option(String module, String name, YamlValue decl, YamlValue key) {
        YamlMap map = decl.map().allowOnly(OPTION);
        YamlValue typeValue = map.require("type");
        OptionType type = OptionType.named(typeValue.string());
        if (type == null) {
            throw typeValue.error("unknown option type '" + typeValue.string()
                    + "' (expected one of: string, int, bool, list, source, map)");
        }
        return new OptionDecl(module, name, type, map.get("default"), map.string("description", ""), key.location());
    }

    private static FileDecl file(String name, YamlValue decl) {
        YamlMap map = decl.map().allowOnly(FILE);
        String fileName = map.string("name", name);
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw map.require("name").error("invalid file name '" + fileName + "'");
        }
        boolean executable = map.get("executable").map(YamlValue::bool).orElse(false);
        return new FileDecl(name, fileName, map.require("text"), executable, decl.location());
    }

    private static VenvDecl venv(String name, YamlValue decl) {
        YamlMap map = decl.map().allowOnly(VENV);
        // A list of templates, or one template such as ${extras} naming a list option: either way split on spaces.
        List<YamlValue> extras = map.get("extras").map(v -> v.isList() ? v.list() : List.of(v)).orElse(List.of());
        List<YamlValue> groups = map.get("groups").map(v -> v.isList() ? v.list() : List.of(v)).orElse(List.of());
        return new VenvDecl(name, decl.location(), map.require("project"), map.get("package"), extras, groups,
                map.get("python"), map.get("wheelhouse"));
    }

    private static ServiceDecl service(String name, YamlValue decl) {
        YamlMap map = decl.map().allowOnly(SERVICE_FIELDS);
        List<YamlValue> environment = map.get("environment").map(ModuleLoader::environment).orElse(List.of());
        String restart = map.string("restart", "on-failure");
        if (!RESTART.contains(restart)) {
            throw map.require("restart").error("unknown restart policy '" + restart + "' (expected one of: "
                    + String.join(", ", new java.util.TreeSet<>(RESTART)) + ")");
        }
        List<String> after = map.get("after").map(YamlValue::stringList).orElse(List.of());
        Optional<HealthCheckDecl> health = map.get("healthCheck").map(ModuleLoader::health);
        return new ServiceDecl(name, decl.location(), map.require("exec"), map.get("description"), environment,
                map.get("user"), map.get("workingDirectory"), map.get("stateDirectory"), restart, after, health);
    }

    /** A map, a {@code ${mapOption}} reference, or a list of those; literal variable names are checked here. */
    private static List<YamlValue> environment(YamlValue value) {
        List<YamlValue> parts = value.isList() ? value.list() : List.of(value);
        for (YamlValue part : parts) {
            if (part.isMap()) {
                part.map().entries().keySet().forEach(key -> checkEnvironmentName(part.map().key(key), key));
            } else if (!part.isScalar() || !OPTION_REFERENCE.matcher(part.string()).matches()) {
                throw part.error("expected a map of variables or a ${option} naming a map option");
            }
        }
        return List.copyOf(parts);
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
            if (!text.matches("[0-9]+s?")) {
                throw t.error("timeout must be seconds, like 30 or 30s, got \"" + text + "\"");
            }
            timeout = Integer.parseInt(text.replace("s", ""));
        }
        return new HealthCheckDecl(map.get("http"), map.get("command"), timeout);
    }

    private static void checkIdent(YamlValue key, String name, String what) {
        if (!IDENT.matcher(name).matches()) {
            throw key.error("invalid " + what + " name '" + name + "' (letters, digits, '_' and '-')");
        }
    }
}
