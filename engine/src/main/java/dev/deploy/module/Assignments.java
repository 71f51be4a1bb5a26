package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.OptionSetting;
import dev.deploy.Location;
import dev.deploy.yaml.NearMiss;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which value each option of one host gets: the inventory's, else the {@code set:} of a module that imports the
 * option's module (the importer closest to the host wins; two unrelated setters are an error), else the default.
 */
final class Assignments {

    /** An option's chosen value and the module whose namespace its templates use. */
    record Assignment(OptionInput input, ModuleDef scope) {
    }

    private final Map<String, Assignment> chosen = new HashMap<>();
    private final Map<String, OptionDecl> declared;
    private final ModuleGraph graph;
    private final Host host;
    private final OptionInputs inputs;

    private Assignments(Map<String, OptionDecl> declared, ModuleGraph graph, Host host, OptionInputs inputs) {
        this.declared = declared;
        this.graph = graph;
        this.host = host;
        this.inputs = inputs;
    }

    static Assignments collect(Map<String, OptionDecl> declared, ModuleGraph graph, Host host, Inventory inventory,
                               OptionInputs inputs) {
        Assignments out = new Assignments(declared, graph, host, inputs);
        for (OptionDecl option : declared.values()) {
            option.defaultValue().ifPresent(value -> out.chosen.put(option.qualifiedName(),
                    new Assignment(value, graph.module(option.module()))));
        }
        out.sets();
        for (OptionSetting setting : host.options()) {
            YamlValue value = setting.value();
            out.checkKnown(setting.option(), value.location(), value.field());
            ModuleDef scope = graph.module(setting.option().substring(0, setting.option().indexOf('.')));
            out.chosen.put(setting.option(), new Assignment(out.parse(setting.option(), value, inventory.baseDir()),
                    scope));
        }
        return out;
    }

    Assignment get(String qualified) {
        return chosen.get(qualified);
    }

    private void sets() {
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
                chosen.put(target, new Assignment(parse(target, value, module.baseDir()), module));
            });
        }
    }

    private OptionInput parse(String option, YamlValue value, Path baseDir) {
        return inputs.parse(declared.get(option).type(), value, baseDir);
    }

    private void checkKnown(String option, Location location, String field) {
        if (declared.containsKey(option)) {
            return;
        }
        String module = option.substring(0, option.indexOf('.'));
        if (!graph.contains(module)) {
            List<String> used = graph.modules().stream().map(ModuleDef::name).toList();
            throw DeployException.input(location, field, "host " + host.name() + " does not use module '" + module
                    + "'" + NearMiss.suggestion(module, used) + " (its modules: " + String.join(", ", graph.modules().stream().map(ModuleDef::name).toList())
                    + ")");
        }
        String known = graph.module(module).options().keySet().stream().sorted().collect(Collectors.joining(", "));
        String name = option.substring(module.length() + 1);
        throw DeployException.input(location, field, "unknown option '" + option + "'"
                + NearMiss.suggestion(name, graph.module(module).options().keySet()) + " (module " + module + " has: "
                + (known.isEmpty() ? "no options" : known) + ")");
    }
}
