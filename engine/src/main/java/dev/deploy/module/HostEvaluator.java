package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.Inventory;
import dev.deploy.source.SourceResolver;
import dev.deploy.store.Artifact;
import dev.deploy.venv.VenvRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates a host's module graph into an {@link EvaluatedHost}: every option gets its value (inventory over
 * {@code set} over default), every source, file and service becomes an artifact, every venv a request. Store paths
 * appear in text as absolute paths on the host, so anything that references an artifact changes when that artifact
 * does. Input errors (unknown options or references, cycles, values a target refuses) are {@link DeployException}s
 * naming the module or inventory line.
 */
public final class HostEvaluator {

    private final ModuleLibrary library;
    private final SourceResolver sources;
    private final OptionInputs inputs = new OptionInputs();

    public HostEvaluator(ModuleLibrary library, SourceResolver sources) {
        this.library = library;
        this.sources = sources;
    }

    public EvaluatedHost evaluate(Inventory inventory, Host host) {
        Evaluation evaluation = new Evaluation(inventory, host, library, sources, inputs);
        ModuleGraph graph = evaluation.graph;
        SortedMap<String, Artifact> roots = new TreeMap<>();
        for (ModuleDef module : graph.modules()) {
            for (OptionDecl option : module.options().values()) {
                OptionValue value = evaluation.option(option.qualifiedName(), option.location());
                if (value instanceof OptionValue.SourceValue source) {
                    roots.put("source/" + option.qualifiedName(), source.artifact());
                }
            }
            for (String source : module.sources().keySet()) {
                roots.put("source/" + module.name() + "." + source, evaluation.source(module, source));
            }
            for (String file : module.files().keySet()) {
                roots.put("file/" + module.name() + "." + file, evaluation.file(module, file, null));
            }
        }
        SortedMap<String, VenvRequest> venvs = new TreeMap<>();
        for (ModuleDef module : graph.modules()) {
            for (String venv : module.venvs().keySet()) {
                venvs.put("venv/" + module.name() + "." + venv, evaluation.venv(module, venv, null));
            }
        }
        List<ServiceSpec> services = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        for (ModuleDef module : graph.modules()) {
            for (ServiceDecl service : module.services().values()) {
                String owner = owners.putIfAbsent(service.name(), module.name());
                if (owner != null) {
                    throw DeployException.input(service.location(), "services." + service.name(), "module " + owner
                            + " already defines service '" + service.name() + "'");
                }
                services.add(ServiceEvaluator.evaluate(evaluation, module, service));
                roots.put("unit/" + service.name(), evaluation.artifact("unit/" + service.name()));
            }
        }
        services.sort(Comparator.comparing(ServiceSpec::name));
        return new EvaluatedHost(host, roots, List.copyOf(services), venvs);
    }
}
