package dev.deploy.module;

import dev.deploy.DeployException;
import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.inventory.Inventory;
import dev.deploy.render.Origin;
import dev.deploy.render.PlainText;
import dev.deploy.render.Piece;
import dev.deploy.render.Site;
import dev.deploy.render.Text;
import dev.deploy.secret.Secret;
import dev.deploy.secret.SecretResolver;
import dev.deploy.secret.SecretValue;
import dev.deploy.source.SourceResolver;
import dev.deploy.source.SourceSnapshot;
import dev.deploy.source.SourceSpec;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.venv.VenvRequest;
import dev.deploy.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One host's evaluation: option values, sources, files and venvs, each evaluated once when first needed (memoized),
 * with the {@link Tracker} following cycles and the roots each uses. Templates become {@link Piece}s here
 * ({@link References} resolves each {@code ${...}}), which the renderer of each target turns into text.
 */
final class Evaluation {

    /** Characters all templates of one host may render to, together (64 Mi). */
    static final long MAX_RENDERED = 64L * 1024 * 1024;

    final Host host;
    final Inventory inventory;
    final HostLayout layout;
    final ModuleGraph graph;
    final Tracker tracker = new Tracker();
    final Map<String, OptionDecl> declared = new LinkedHashMap<>();
    private final Assignments assignments;
    private final SourceResolver sources;
    private final References references = new References(this);
    private final Map<String, OptionValue> values = new HashMap<>();
    /** Roots each evaluated option or file depends on, by {@code option NAME} or role. */
    private final Map<String, Set<String>> dependencies = new HashMap<>();
    private final Map<String, Artifact> artifacts = new HashMap<>();
    private final Map<String, VenvRequest> venvs = new HashMap<>();
    private final SecretResolver secretValues;
    private final Map<String, Optional<Secret>> secrets = new HashMap<>();
    private long rendered;

    Evaluation(Inventory inventory, Host host, ModuleLibrary library, SourceResolver sources, OptionInputs inputs,
               SecretResolver secretValues) {
        this.secretValues = secretValues;
        this.inventory = inventory;
        this.host = host;
        this.layout = new HostLayout(host.target().stateDir());
        this.graph = ModuleGraph.of(library, host.modules());
        this.sources = sources;
        for (ModuleDef module : graph.modules()) {
            module.options().values().forEach(option -> declared.put(option.qualifiedName(), option));
        }
        this.assignments = Assignments.collect(declared, graph, host, inventory, inputs);
    }

    /** The value of option {@code qualified} ({@code module.option}), referenced at {@code referencedAt}. */
    OptionValue option(String qualified, Location referencedAt) {
        OptionValue cached = values.get(qualified);
        if (cached != null) {
            tracker.uses(dependencies.get("option " + qualified));
            return cached;
        }
        OptionDecl decl = declared.get(qualified);
        Assignments.Assignment assignment = assignments.get(qualified);
        if (assignment == null) {
            throw DeployException.input(host.name(), decl.location(), "options." + decl.name(), "option "
                    + qualified + " has no default and is not set (set it under the host's options in "
                    + inventory.file() + ")");
        }
        tracker.enter("option " + qualified, referencedAt);
        OptionValue value = OptionValues.convert(this, decl, assignment);
        dependencies.put("option " + qualified, tracker.leave());
        values.put(qualified, value);
        return value;
    }

    /** Source {@code name} of {@code module}, as an artifact. */
    Artifact source(ModuleDef module, String name) {
        String role = "source/" + module.name() + "." + name;
        tracker.uses(Set.of(role));
        Artifact cached = artifacts.get(role);
        if (cached == null) {
            cached = sourceArtifact(module.name() + "." + name, module.sources().get(name), module.baseDir());
            artifacts.put(role, cached);
        }
        return cached;
    }

    /** The artifact of a source spec, named {@code name}. */
    Artifact sourceArtifact(String name, SourceSpec spec, Path baseDir) {
        SourceSnapshot snapshot = sources.resolve(spec, baseDir);
        return Artifact.of(StorePath.sanitizeName(name), snapshot.tree(), snapshot.contents(), snapshot.origin());
    }

    /** File {@code name} of {@code module}, rendered into its own store path. */
    Artifact file(ModuleDef module, String name, Location referencedAt) {
        String role = "file/" + module.name() + "." + name;
        Artifact cached = artifacts.get(role);
        if (cached != null) {
            tracker.uses(dependencies.get(role));
            return cached;
        }
        FileDecl decl = module.files().get(name);
        tracker.enter(role, referencedAt == null ? decl.location() : referencedAt);
        String text = text(decl.text(), module).value();
        Set<String> needs = tracker.leave();
        needs.add(role);
        dependencies.put(role, needs);
        Artifact artifact = new MemoryTree().file(decl.fileName(), text, decl.executable())
                .toArtifact(StorePath.sanitizeName(module.name() + "." + name), "file " + module.name() + "." + name);
        artifacts.put(role, artifact);
        return artifact;
    }

    /** Venv {@code name} of {@code module}, to be built once the host's Python is known. */
    VenvRequest venv(ModuleDef module, String name, Location referencedAt) {
        String role = "venv/" + module.name() + "." + name;
        VenvRequest cached = venvs.get(role);
        if (cached == null) {
            cached = VenvEvaluator.evaluate(this, module, module.venvs().get(name), role, referencedAt);
            venvs.put(role, cached);
        }
        return cached;
    }

    /**
     * Secret {@code name} of {@code module} on this host, with its value read on the controller; empty when the
     * secret is optional and the host's inventory gives no source for it.
     *
     * @throws DeployException of kind INPUT when a required secret has no source, its source fails or its value
     *                         does not fit how it is delivered (messages never hold the value)
     */
    Optional<Secret> secret(ModuleDef module, String name) {
        String role = "secret/" + module.name() + "." + name;
        Optional<Secret> cached = secrets.get(role);
        if (cached == null) {
            cached = SecretEvaluator.evaluate(this, module, module.secrets().get(name), role);
            secrets.put(role, cached);
        }
        cached.ifPresent(secret -> tracker.uses(Set.of(role)));
        return cached;
    }

    /** Reads a secret's value from its source (once per run; see {@link SecretResolver}). */
    SecretValue secretValue(dev.deploy.secret.SecretSource source) {
        return secretValues.resolve(source, host.name());
    }

    /** The unit artifact of a service evaluated earlier, by {@code unit/NAME}. */
    Artifact artifact(String role) {
        return artifacts.get(role);
    }

    void putArtifact(String role, Artifact artifact) {
        artifacts.put(role, artifact);
    }

    /** {@code template}, written in {@code scope}'s namespace, as pieces: its text as syntax, each value as data. */
    List<Piece> pieces(Template template, ModuleDef scope) {
        List<Piece> pieces = new ArrayList<>(template.parts().size());
        Origin origin = template.origin();
        for (Template.Part part : template.parts()) {
            if (part instanceof Template.Literal literal) {
                pieces.add(new Piece.Syntax(literal.text(), origin));
            } else {
                pieces.add(references.resolve(((Template.Ref) part).reference(), scope, template));
            }
        }
        return pieces;
    }

    /** {@code template} rendered as plain text. */
    Text text(Template template, ModuleDef scope) {
        Site site = site(template);
        Text text = PlainText.render(pieces(template, scope), site, template.origin());
        rendered += text.length();
        if (rendered > MAX_RENDERED) {
            throw site.reject("templates of host " + host.name() + " render to more than " + MAX_RENDERED
                    + " characters in all");
        }
        return text;
    }

    /** Where {@code template} is, for errors about what it renders to on this host. */
    Site site(Template template) {
        return new Site(host.name(), template.source().location(), template.source().field());
    }

    /** Where the host's own fields were written (its name, address and state directory), for text derived from them. */
    Origin hostOrigin(String field) {
        return new Origin(host.location(), "hosts." + host.name() + (field.isEmpty() ? "" : "." + field));
    }

    /** How text refers to a root: through the {@code current} generation, so a changed source changes only its path. */
    Text rootPath(String role) {
        return Text.of(layout.current() + "/roots/" + role,
                hostOrigin(host.target() instanceof HostTarget.Local ? "local.root" : "stateDir"));
    }
}
