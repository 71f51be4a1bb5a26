package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.SecretSetting;
import dev.deploy.secret.Secret;
import dev.deploy.secret.SecretExposure;
import dev.deploy.secret.SecretResolver;
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
    private final SecretResolver secrets;

    /** Reads secret values from the controller's files, environment and commands. */
    public HostEvaluator(ModuleLibrary library, SourceResolver sources) {
        this(library, sources, new SecretResolver());
    }

    /** @param secrets reads secret values; one per run, so each source is read once */
    public HostEvaluator(ModuleLibrary library, SourceResolver sources, SecretResolver secrets) {
        this.library = library;
        this.sources = sources;
        this.secrets = secrets;
    }

    public EvaluatedHost evaluate(Inventory inventory, Host host) {
        Evaluation evaluation = new Evaluation(inventory, host, library, sources, inputs, secrets);
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
        SortedMap<String, Secret> hostSecrets = new TreeMap<>();
        for (SecretSetting setting : host.secrets()) {
            int dot = setting.secret().indexOf('.');
            ModuleDef module = graph.modules().stream()
                    .filter(m -> m.name().equals(setting.secret().substring(0, dot))).findFirst().orElse(null);
            if (module == null || !module.secrets().containsKey(setting.secret().substring(dot + 1))) {
                throw DeployException.input(host.name(), setting.source().at(), setting.source().field(),
                        "no module of host " + host.name() + " declares secret " + setting.secret());
            }
        }
        for (ModuleDef module : graph.modules()) {
            for (String name : module.secrets().keySet()) {
                evaluation.secret(module, name).ifPresent(secret -> hostSecrets.put(secret.role(), secret));
            }
        }
        if (secrets.reads()) {
            Map<Secret, dev.deploy.secret.SecretSource> sources = new java.util.LinkedHashMap<>();
            hostSecrets.values().forEach(secret -> host.secrets().stream()
                    .filter(setting -> setting.secret().equals(secret.name())).findFirst()
                    .ifPresent(setting -> sources.put(secret, setting.source())));
            SecretExposure.check(host.name(), roots, sources);
        }
        return new EvaluatedHost(host, roots, List.copyOf(services), venvs, hostSecrets);
    }
}
