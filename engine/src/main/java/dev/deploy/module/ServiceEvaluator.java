package dev.deploy.module;

import dev.deploy.render.Origin;
import dev.deploy.render.ShellCommandLine;
import dev.deploy.render.Site;
import dev.deploy.render.SystemdCommandLine;
import dev.deploy.render.Text;
import dev.deploy.render.UnitFile;
import dev.deploy.render.UnitSettings;
import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.yaml.NearMiss;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates a service on one host: its systemd unit (each setting through the escaping of its kind, {@code exec}
 * as a systemd command line) as a store path, and its health check ({@code command} as a shell command line).
 */
final class ServiceEvaluator {

    private ServiceEvaluator() {
    }

    static ServiceSpec evaluate(Evaluation evaluation, ModuleDef module, ServiceDecl s) {
        evaluation.tracker.enter("service " + s.name(), s.location());
        String field = "services." + s.name();
        UnitSettings.Value description = s.description().map(t -> setting(evaluation, t, module))
                .orElse(new UnitSettings.Value(Text.of(s.name() + " (module " + module.name()
                        + ", deployed by deploy)", new Origin(s.location(), field)),
                        new Site(evaluation.host.name(), s.location(), field)));
        SortedMap<String, UnitSettings.Value> environment = new TreeMap<>();
        for (EnvironmentPart part : s.environment()) {
            environment.putAll(environment(evaluation, part, module, s.name()));
        }
        String exec = SystemdCommandLine.render(evaluation.pieces(s.exec(), module), evaluation.site(s.exec()));
        UnitFile.Secrets secrets = secrets(evaluation, module, s);
        UnitFile unit = new UnitFile(description, exec, environment,
                s.user().map(t -> setting(evaluation, t, module)),
                s.workingDirectory().map(t -> setting(evaluation, t, module)),
                s.stateDirectory().map(t -> setting(evaluation, t, module)), s.restart(), s.after(),
                evaluation.layout.stateDir(), secrets);
        Artifact artifact = new MemoryTree().file(s.name() + ".service", unit.text(), false)
                .toArtifact(StorePath.sanitizeName(s.name() + ".service"), "unit " + s.name());
        evaluation.putArtifact("unit/" + s.name(), artifact);
        Optional<HealthCheck> health = s.healthCheck().map(h -> new HealthCheck(
                h.http().map(t -> httpUrl(evaluation, t, module)),
                h.command().map(t -> ShellCommandLine.render(evaluation.pieces(t, module), evaluation.site(t))),
                h.timeoutSeconds()));
        return new ServiceSpec(s.name(), artifact.storePath(), new TreeSet<>(evaluation.tracker.leave()), health);
    }

    /**
     * The secrets a service lists: env secrets as {@code EnvironmentFile=} paths, file secrets as
     * {@code LoadCredential=} entries; each through the current generation's link, so the unit does not change when a
     * value does (the service restarts because its inputs did). An optional secret without a source is left out.
     */
    private static UnitFile.Secrets secrets(Evaluation evaluation, ModuleDef module, ServiceDecl s) {
        java.util.List<String> environmentFiles = new java.util.ArrayList<>();
        SortedMap<String, String> credentials = new TreeMap<>();
        for (ServiceDecl.SecretRef ref : s.secrets()) {
            ModuleDef owner = evaluation.graph.modules().stream().filter(m -> m.name().equals(ref.module()))
                    .findFirst().orElse(null);
            if (owner == null || !owner.secrets().containsKey(ref.name())) {
                throw ref.at().error("unknown secret " + ref.module() + "." + ref.name()
                        + (owner == null ? "" : NearMiss.suggestion(ref.name(), owner.secrets().keySet()))
                        + " (module " + ref.module()
                        + (owner == null ? " is not used on host " + evaluation.host.name()
                        : " has secrets: " + String.join(", ", owner.secrets().keySet())) + ")");
            }
            if (evaluation.secret(owner, ref.name()).isEmpty()) {
                continue;
            }
            String path = evaluation.layout.currentSecret(ref.module() + "." + ref.name());
            if (owner.secrets().get(ref.name()).variable().isPresent()) {
                environmentFiles.add(path);
            } else if (credentials.put(ref.name(), path) != null) {
                throw ref.at().error("two file secrets named " + ref.name() + " in service " + s.name()
                        + " (a credential's name must be unique)");
            }
        }
        return new UnitFile.Secrets(java.util.List.copyOf(environmentFiles), credentials, s.dynamicUser());
    }

    private static UnitSettings.Value setting(Evaluation evaluation, Template template, ModuleDef module) {
        return new UnitSettings.Value(evaluation.text(template, module), evaluation.site(template));
    }

    /** A literal map's rendered entries, or the entries of the map option a {@code ${option}} part names. */
    private static SortedMap<String, UnitSettings.Value> environment(Evaluation evaluation, EnvironmentPart part,
                                                                     ModuleDef module, String service) {
        SortedMap<String, UnitSettings.Value> entries = new TreeMap<>();
        if (part instanceof EnvironmentPart.Entries literal) {
            literal.entries().forEach((key, template) -> entries.put(key, setting(evaluation, template, module)));
            return entries;
        }
        EnvironmentPart.MapOption reference = (EnvironmentPart.MapOption) part;
        Reference.Option option = reference.reference() instanceof Reference.Option o && o.name() != null ? o : null;
        String qualified = option == null ? reference.reference().text()
                : (option.module() == null ? module.name() : option.module()) + "." + option.name();
        OptionDecl decl = evaluation.declared.get(qualified);
        if (decl == null || decl.type() != OptionType.MAP) {
            throw reference.at().error("'${" + reference.reference().text() + "}' is not a map option of module "
                    + qualified.substring(0, Math.max(0, qualified.indexOf('.'))) + " on host "
                    + evaluation.host.name());
        }
        OptionValue.MapValue value = (OptionValue.MapValue) evaluation.option(qualified, reference.at().location());
        Site site = new Site(evaluation.host.name(), reference.at().location(), reference.at().field());
        value.entries().forEach((key, text) -> {
            if (!ModuleLoader.ENV.matcher(key).matches()) {
                throw value.keys().key(key).error("invalid environment variable name '" + key
                        + "' (option " + qualified + " is the environment of service " + service + ")");
            }
            entries.put(key, new UnitSettings.Value(text, site));
        });
        return entries;
    }

    /** Renders a health-check URL and rejects one the check could not request, naming the module's field. */
    private static String httpUrl(Evaluation evaluation, Template template, ModuleDef module) {
        Text url = evaluation.text(template, module);
        try {
            HealthUrl.parse(url.value());
        } catch (IllegalArgumentException e) {
            throw evaluation.site(template).reject(e.getMessage(), url.isEmpty() ? null : url.originAt(0));
        }
        return url.value();
    }
}
