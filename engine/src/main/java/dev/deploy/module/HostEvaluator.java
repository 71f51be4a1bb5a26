package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.OptionSetting;
import dev.deploy.source.SourceResolver;
import dev.deploy.source.SourceSnapshot;
import dev.deploy.source.SourceSpec;
import dev.deploy.source.SourceSpecs;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.venv.VenvRequest;
import dev.deploy.yaml.Location;
import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Evaluates a host's module graph: picks each option's value (inventory over {@code set} over default), renders
 * templates lazily with cycle detection, turns sources, files and services into artifacts. Store paths appear in
 * text as absolute paths on the host, so anything that references an artifact changes when that artifact does.
 */
public final class HostEvaluator {

    private final ModuleLibrary library;
    private final SourceResolver sources;

    public HostEvaluator(ModuleLibrary library, SourceResolver sources) {
        this.library = library;
        this.sources = sources;
    }

    public EvaluatedHost evaluate(Inventory inventory, Host host) {
        return new Run(inventory, host).evaluate();
    }

    /** Where an option's value comes from: the YAML, the module whose namespace its text uses, its base dir. */
    private record Assignment(YamlValue value, ModuleDef scope, Path baseDir, String origin) {
    }

    /** One host's evaluation; memoizes values and keeps the stack of what is being evaluated for cycle errors. */
    private final class Run {
        private final Inventory inventory;
        private final Host host;
        private final HostLayout layout;
        private final ModuleGraph graph;
        private final Map<String, OptionDecl> declared = new LinkedHashMap<>();
        private final Map<String, Assignment> assignments = new HashMap<>();
        private final Map<String, Object> values = new HashMap<>();
        private final Map<String, Artifact> artifacts = new HashMap<>();
        private final Map<String, VenvRequest> venvs = new HashMap<>();
        private final List<String> stack = new ArrayList<>();
        /** Roots each evaluated option or file depends on, so that services restart when their inputs change. */
        private final Map<String, Set<String>> dependencies = new HashMap<>();
        private final java.util.Deque<Set<String>> collecting = new java.util.ArrayDeque<>();

        Run(Inventory inventory, Host host) {
            this.inventory = inventory;
            this.host = host;
            this.layout = new HostLayout(host.target().stateDir());
            this.graph = ModuleGraph.of(library, host.modules());
        }

        EvaluatedHost evaluate() {
            for (ModuleDef module : graph.modules()) {
                module.options().values().forEach(option -> declared.put(option.qualifiedName(), option));
            }
            collectAssignments();

            SortedMap<String, Artifact> roots = new TreeMap<>();
            for (ModuleDef module : graph.modules()) {
                for (OptionDecl option : module.options().values()) {
                    Object value = option(option.qualifiedName(), option.location());
                    if (option.type() == OptionType.SOURCE) {
                        roots.put("source/" + option.qualifiedName(), (Artifact) value);
                    }
                }
                for (String source : module.sources().keySet()) {
                    roots.put("source/" + module.name() + "." + source, source(module, source, null));
                }
                for (String file : module.files().keySet()) {
                    roots.put("file/" + module.name() + "." + file, file(module, file, null));
                }
            }
            SortedMap<String, VenvRequest> venvRoots = new TreeMap<>();
            for (ModuleDef module : graph.modules()) {
                for (String venv : module.venvs().keySet()) {
                    venvRoots.put("venv/" + module.name() + "." + venv, venv(module, venv, null));
                }
            }
            List<ServiceSpec> services = new ArrayList<>();
            Map<String, String> serviceOwners = new HashMap<>();
            for (ModuleDef module : graph.modules()) {
                for (ServiceDecl service : module.services().values()) {
                    String owner = serviceOwners.putIfAbsent(service.name(), module.name());
                    if (owner != null) {
                        throw DeployException.input(service.location() + ": services." + service.name()
                                + ": module " + owner + " already defines service '" + service.name() + "'");
                    }
                    ServiceSpec spec = service(module, service);
                    roots.put("unit/" + service.name(), artifacts.get("unit/" + service.name()));
                    services.add(spec);
                }
            }
            services.sort(java.util.Comparator.comparing(ServiceSpec::name));
            return new EvaluatedHost(host, roots, List.copyOf(services), venvRoots);
        }

        private void collectAssignments() {
            for (OptionDecl option : declared.values()) {
                ModuleDef module = graph.module(option.module());
                option.defaultValue().ifPresent(value -> assignments.put(option.qualifiedName(),
                        new Assignment(value, module, module.baseDir(), "default")));
            }
            Map<String, ModuleDef> setters = new HashMap<>();
            for (ModuleDef module : graph.modules()) {
                module.sets().forEach((target, value) -> {
                    checkKnown(target, value.location(), "set." + target);
                    ModuleDef previous = setters.get(target);
                    if (previous != null && !graph.imports(module.name(), previous.name())) {
                        if (graph.imports(previous.name(), module.name())) {
                            return; // the importer, closer to the host, already set it
                        }
                        throw value.error("option " + target + " is set by both module " + previous.name()
                                + " and module " + module.name() + "; set it in the inventory instead");
                    }
                    setters.put(target, module);
                    assignments.put(target, new Assignment(value, module, module.baseDir(), "module " + module.name()));
                });
            }
            for (OptionSetting setting : host.options()) {
                checkKnown(setting.option(), setting.value().location(), setting.value().field());
                ModuleDef scope = graph.module(setting.option().substring(0, setting.option().indexOf('.')));
                assignments.put(setting.option(),
                        new Assignment(setting.value(), scope, inventory.baseDir(), "inventory"));
            }
        }

        private void checkKnown(String option, Location location, String field) {
            if (declared.containsKey(option)) {
                return;
            }
            String module = option.substring(0, option.indexOf('.'));
            if (!graph.contains(module)) {
                throw DeployException.input(location + ": " + field + ": host " + host.name()
                        + " does not use module '" + module + "' (its modules: "
                        + String.join(", ", graph.modules().stream().map(ModuleDef::name).toList()) + ")");
            }
            String known = graph.module(module).options().keySet().stream().sorted().collect(Collectors.joining(", "));
            throw DeployException.input(location + ": " + field + ": unknown option '" + option + "' (module "
                    + module + " has: " + (known.isEmpty() ? "no options" : known) + ")");
        }

        /** The typed value of an option; a SOURCE option's value is its artifact. */
        Object option(String qualified, Location referencedAt) {
            Object cached = values.get(qualified);
            if (cached != null) {
                uses(dependencies.get("option " + qualified));
                return cached;
            }
            OptionDecl decl = declared.get(qualified);
            Assignment assignment = assignments.get(qualified);
            if (assignment == null) {
                throw DeployException.input(decl.location() + ": host " + host.name() + ": option " + qualified
                        + " has no default and is not set (set it under the host's options in "
                        + inventory.file() + ")");
            }
            enter("option " + qualified, referencedAt);
            Object value = convert(decl, assignment);
            dependencies.put("option " + qualified, leave());
            values.put(qualified, value);
            return value;
        }

        private Object convert(OptionDecl decl, Assignment a) {
            YamlValue v = a.value();
            return switch (decl.type()) {
                case STRING -> render(v, a.scope());
                case INT -> v.isInteger() ? (Object) v.integer() : parseInt(v, render(v, a.scope()));
                case BOOL -> v.isBoolean() ? (Object) v.bool() : parseBool(v, render(v, a.scope()));
                case LIST -> v.list().stream().map(item -> render(item, a.scope())).toList();
                case MAP -> {
                    Map<String, String> map = new TreeMap<>();
                    v.map().entries().forEach((key, item) -> map.put(key, render(item, a.scope())));
                    yield map;
                }
                case SOURCE -> v.isScalar() && ModuleLoader.OPTION_REFERENCE.matcher(v.string()).matches()
                        ? sourceOption(v, a.scope()) : sourceArtifact(decl.qualifiedName(), SourceSpecs.parse(v, a.baseDir()),
                        a.baseDir());
            };
        }

        /** A source option's value given as {@code ${other}}: the same artifact as that source option. */
        private Artifact sourceOption(YamlValue v, ModuleDef scope) {
            java.util.regex.Matcher reference = ModuleLoader.OPTION_REFERENCE.matcher(v.string());
            reference.matches();
            String name = reference.group(1);
            String qualified = name.contains(".") ? name : scope.name() + "." + name;
            OptionDecl decl = declared.get(qualified);
            if (decl == null || decl.type() != OptionType.SOURCE) {
                throw v.error("'${" + name + "}' is not a source option of module "
                        + qualified.substring(0, qualified.indexOf('.')) + " on host " + host.name()
                        + " (a source is path:DIR, git:URL#REF or ${a-source-option})");
            }
            uses(Set.of("source/" + qualified));
            return (Artifact) option(qualified, v.location());
        }

        private long parseInt(YamlValue at, String text) {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw at.error("expected an integer, got \"" + text + "\"");
            }
        }

        private boolean parseBool(YamlValue at, String text) {
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            throw at.error("expected true or false, got \"" + text + "\"");
        }

        /** Renders a template written in {@code scope}'s namespace. */
        String render(YamlValue value, ModuleDef scope) {
            return Template.parse(value).render(reference -> lookup(reference, scope, value));
        }

        private String lookup(String reference, ModuleDef scope, YamlValue at) {
            String[] parts = reference.split("\\.");
            switch (parts[0]) {
                case "host":
                    if (reference.equals("host.name")) {
                        return host.name();
                    }
                    if (reference.equals("host.address")) {
                        return host.target() instanceof HostTarget.Ssh ssh ? ssh.address() : "127.0.0.1";
                    }
                    throw at.error("unknown reference '${" + reference + "}' (host has: host.name, host.address)");
                case "deploy":
                    if (reference.equals("deploy.stateDir")) {
                        return layout.stateDir();
                    }
                    throw at.error("unknown reference '${" + reference + "}' (deploy has: deploy.stateDir)");
                case "sources":
                    if (parts.length == 2 && scope.sources().containsKey(parts[1])) {
                        source(scope, parts[1], at.location());
                        return rootPath("source/" + scope.name() + "." + parts[1]);
                    }
                    throw at.error("unknown reference '${" + reference + "}' (module " + scope.name()
                            + " has sources: " + String.join(", ", scope.sources().keySet()) + ")");
                case "files":
                    if (parts.length == 2 && scope.files().containsKey(parts[1])) {
                        file(scope, parts[1], at.location());
                        return rootPath("file/" + scope.name() + "." + parts[1]) + "/"
                                + scope.files().get(parts[1]).fileName();
                    }
                    throw at.error("unknown reference '${" + reference + "}' (module " + scope.name()
                            + " has files: " + String.join(", ", scope.files().keySet()) + ")");
                case "venvs":
                    if (parts.length == 2 && scope.venvs().containsKey(parts[1])) {
                        String role = "venv/" + scope.name() + "." + parts[1];
                        venv(scope, parts[1], at.location());
                        uses(Set.of(role));
                        return rootPath(role);
                    }
                    throw at.error("unknown reference '${" + reference + "}' (module " + scope.name()
                            + " has venvs: " + String.join(", ", scope.venvs().keySet()) + ")");
                default:
                    break;
            }
            String qualified = parts.length == 1 ? scope.name() + "." + reference : reference;
            OptionDecl decl = declared.get(qualified);
            if (decl == null || parts.length > 2) {
                throw at.error("unknown reference '${" + reference + "}' (not an option of module "
                        + (parts.length == 1 ? scope.name() : parts[0]) + " on host " + host.name() + ")");
            }
            Object value = option(qualified, at.location());
            if (decl.type() == OptionType.SOURCE) {
                uses(Set.of("source/" + qualified));
            }
            return switch (decl.type()) {
                case SOURCE -> rootPath("source/" + qualified);
                case LIST -> String.join(" ", castList(value));
                case MAP -> throw at.error("option " + qualified + " is a map and cannot be used in text");
                default -> String.valueOf(value);
            };
        }

        @SuppressWarnings("unchecked")
        private List<String> castList(Object value) {
            return (List<String>) value;
        }

        Artifact source(ModuleDef module, String name, Location referencedAt) {
            String role = "source/" + module.name() + "." + name;
            uses(Set.of(role));
            Artifact cached = artifacts.get(role);
            if (cached != null) {
                return cached;
            }
            Artifact artifact = sourceArtifact(module.name() + "." + name,
                    SourceSpecs.parse(module.sources().get(name), module.baseDir()), module.baseDir());
            artifacts.put(role, artifact);
            return artifact;
        }

        private Artifact sourceArtifact(String name, SourceSpec spec, Path baseDir) {
            SourceSnapshot snapshot = sources.resolve(spec, baseDir);
            return Artifact.of(StorePath.sanitizeName(name), snapshot.tree(), snapshot.contents(), snapshot.origin());
        }

        Artifact file(ModuleDef module, String name, Location referencedAt) {
            String role = "file/" + module.name() + "." + name;
            Artifact cached = artifacts.get(role);
            if (cached != null) {
                uses(dependencies.get(role));
                return cached;
            }
            FileDecl decl = module.files().get(name);
            enter(role, referencedAt == null ? decl.location() : referencedAt);
            String text = render(decl.text(), module);
            Set<String> needs = leave();
            needs.add(role);
            dependencies.put(role, needs);
            Artifact artifact = new MemoryTree().file(decl.fileName(), text, decl.executable())
                    .toArtifact(StorePath.sanitizeName(module.name() + "." + name), "file " + module.name() + "." + name);
            artifacts.put(role, artifact);
            return artifact;
        }

        /** A literal map's rendered entries, or the entries of the map option a {@code ${option}} part names. */
        private Map<String, String> environmentPart(YamlValue part, ModuleDef module, String service) {
            Map<String, String> entries = new TreeMap<>();
            if (part.isMap()) {
                part.map().entries().forEach((key, value) -> entries.put(key, render(value, module)));
                return entries;
            }
            java.util.regex.Matcher reference = ModuleLoader.OPTION_REFERENCE.matcher(part.string());
            reference.matches();
            String name = reference.group(1);
            String qualified = name.contains(".") ? name : module.name() + "." + name;
            OptionDecl decl = declared.get(qualified);
            if (decl == null || decl.type() != OptionType.MAP) {
                throw part.error("'${" + name + "}' is not a map option of module "
                        + qualified.substring(0, qualified.indexOf('.')) + " on host " + host.name());
            }
            @SuppressWarnings("unchecked")
            Map<String, String> value = (Map<String, String>) option(qualified, part.location());
            YamlMap assigned = assignments.get(qualified).value().map();
            value.keySet().forEach(key -> {
                if (!ModuleLoader.ENV.matcher(key).matches()) {
                    throw assigned.key(key).error("invalid environment variable name '" + key
                            + "' (option " + qualified + " is the environment of service " + service + ")");
                }
            });
            entries.putAll(value);
            return entries;
        }

        /**
         * The venv {@code name} of {@code module}, to be built per host later. Its project and wheelhouse are
         * sources; what a venv reads is not an input of the service that uses the venv (the venv itself is).
         */
        VenvRequest venv(ModuleDef module, String name, Location referencedAt) {
            String role = "venv/" + module.name() + "." + name;
            VenvRequest cached = venvs.get(role);
            if (cached != null) {
                return cached;
            }
            VenvDecl decl = module.venvs().get(name);
            enter(role, referencedAt == null ? decl.location() : referencedAt);
            try {
                Artifact project = sourceReference(decl.project(), module, "project");
                Optional<String> pkg = decl.pkg().map(v -> render(v, module).strip()).filter(v -> !v.isEmpty());
                List<VenvRequest.Selected> extras = selected(decl.extras(), module, "venvs." + name + ".extras");
                List<VenvRequest.Selected> groups = selected(decl.groups(), module, "venvs." + name + ".groups");
                String python = decl.python().map(v -> render(v, module).strip()).filter(v -> !v.isEmpty())
                        .orElse("python3");
                Optional<Artifact> wheelhouse = decl.wheelhouse().map(v -> sourceReference(v, module, "wheelhouse"));
                VenvRequest request = new VenvRequest(role, decl.location() + ": venvs." + name, project, pkg, extras,
                        groups, python, wheelhouse);
                venvs.put(role, request);
                return request;
            } finally {
                stack.remove(stack.size() - 1);
                collecting.pop();
            }
        }

        /** Names given as a list of templates or one template naming a list option, split on spaces. */
        private List<VenvRequest.Selected> selected(List<YamlValue> values, ModuleDef module, String field) {
            List<VenvRequest.Selected> names = new java.util.ArrayList<>();
            for (YamlValue value : values) {
                for (String name : render(value, module).strip().split("\\s+")) {
                    if (!name.isEmpty()) {
                        names.add(new VenvRequest.Selected(name, value.location(), field));
                    }
                }
            }
            return names;
        }

        /** The artifact of a source that {@code value} references as a whole: {@code ${option}} or {@code ${sources.NAME}}. */
        private Artifact sourceReference(YamlValue value, ModuleDef scope, String field) {
            List<String> references = Template.parse(value).references();
            String text = value.string().strip();
            if (references.size() != 1 || !text.equals("${" + references.get(0) + "}")) {
                throw value.error(field + ": expected a reference to a source, like ${source} or ${sources.NAME}, "
                        + "got \"" + text + "\"");
            }
            String reference = references.get(0);
            String[] parts = reference.split("\\.");
            if (parts[0].equals("sources") && parts.length == 2 && scope.sources().containsKey(parts[1])) {
                return source(scope, parts[1], value.location());
            }
            String qualified = parts.length == 1 ? scope.name() + "." + reference : reference;
            OptionDecl decl = declared.get(qualified);
            if (decl == null || parts.length > 2 || decl.type() != OptionType.SOURCE) {
                throw value.error(field + ": '${" + reference + "}' is not a source option or source of module "
                        + scope.name());
            }
            return (Artifact) option(qualified, value.location());
        }

        private ServiceSpec service(ModuleDef module, ServiceDecl s) {
            enter("service " + s.name(), s.location());
            String description = s.description().map(v -> render(v, module))
                    .orElse(s.name() + " (module " + module.name() + ", deployed by deploy)");
            Map<String, String> environment = new TreeMap<>();
            for (YamlValue part : s.environment()) {
                environment.putAll(environmentPart(part, module, s.name()));
            }
            String unitText;
            try {
                unitText = UnitFile.render(s.name(), description, render(s.exec(), module).strip(), environment,
                        s.user().map(v -> render(v, module)), s.workingDirectory().map(v -> render(v, module)),
                        s.stateDirectory().map(v -> render(v, module)), s.restart(), s.after());
            } catch (IllegalArgumentException e) {
                throw DeployException.input(s.location() + ": services." + s.name() + ": " + e.getMessage());
            }
            Artifact unit = new MemoryTree().file(s.name() + ".service", unitText, false)
                    .toArtifact(StorePath.sanitizeName(s.name() + ".service"), "unit " + s.name());
            artifacts.put("unit/" + s.name(), unit);
            Optional<HealthCheck> health = s.healthCheck().map(h -> new HealthCheck(
                    h.http().map(v -> httpUrl(v, module)), h.command().map(v -> render(v, module)), h.timeoutSeconds()));
            return new ServiceSpec(s.name(), unit.storePath(), new java.util.TreeSet<>(leave()), health);
        }

        /** Renders a health-check URL and rejects one the check could not request, naming the module's field. */
        private String httpUrl(YamlValue value, ModuleDef module) {
            String url = render(value, module);
            try {
                HealthUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw value.error(e.getMessage());
            }
            return url;
        }

        private void enter(String what, Location at) {
            if (stack.contains(what)) {
                List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(what), stack.size()));
                cycle.add(what);
                throw DeployException.input(at + ": reference cycle: " + String.join(" -> ", cycle));
            }
            stack.add(what);
            collecting.push(new java.util.TreeSet<>());
        }

        /** Ends the innermost evaluation; returns the roots it used, which its caller uses too. */
        private Set<String> leave() {
            stack.remove(stack.size() - 1);
            Set<String> used = collecting.pop();
            uses(used);
            return new java.util.TreeSet<>(used);
        }

        private void uses(Set<String> roles) {
            if (roles != null && !collecting.isEmpty()) {
                collecting.peek().addAll(roles);
            }
        }

        /**
         * How text refers to a root: through the {@code current} generation, so that a changed source changes only
         * its own store path; services that use it restart because their recorded inputs change.
         */
        private String rootPath(String role) {
            return layout.current() + "/roots/" + role;
        }
    }
}
