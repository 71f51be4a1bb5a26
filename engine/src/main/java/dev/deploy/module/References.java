package dev.deploy.module;

import dev.deploy.inventory.HostTarget;
import dev.deploy.render.Piece;
import dev.deploy.render.Text;
import dev.deploy.yaml.NearMiss;
import java.util.Set;

/** Resolves a template's {@code ${...}} on one host into a {@link Piece}: a value, or a list option's items. */
final class References {

    private final Evaluation evaluation;

    References(Evaluation evaluation) {
        this.evaluation = evaluation;
    }

    /** What {@code reference}, written in {@code scope}'s namespace in {@code at}, stands for on this host. */
    Piece resolve(Reference reference, ModuleDef scope, Template at) {
        String text = reference.text();
        if (reference instanceof Reference.HostName) {
            return new Piece.Value(Text.of(evaluation.host.name(), evaluation.hostOrigin("")), text);
        }
        if (reference instanceof Reference.HostAddress) {
            String address = evaluation.host.target() instanceof HostTarget.Ssh ssh ? ssh.address() : "127.0.0.1";
            return new Piece.Value(Text.of(address, evaluation.hostOrigin("address")), text);
        }
        if (reference instanceof Reference.StateDir) {
            return new Piece.Value(Text.of(evaluation.layout.stateDir(), evaluation.hostOrigin(
                    evaluation.host.target() instanceof HostTarget.Local ? "local.root" : "stateDir")), text);
        }
        if (reference instanceof Reference.Member member) {
            return new Piece.Value(member(member, scope, at), text);
        }
        return option((Reference.Option) reference, scope, at);
    }

    private Text member(Reference.Member member, ModuleDef scope, Template at) {
        String name = member.name();
        String role = member.kind().role() + "/" + scope.name() + "." + name;
        switch (member.kind()) {
            case SOURCES -> {
                if (name != null && scope.sources().containsKey(name)) {
                    evaluation.source(scope, name);
                    return evaluation.rootPath(role);
                }
                throw unknownMember(member, scope, at, scope.sources().keySet());
            }
            case FILES -> {
                if (name != null && scope.files().containsKey(name)) {
                    evaluation.file(scope, name, at.source().location());
                    Text root = evaluation.rootPath(role);
                    return Text.of(root.value() + "/" + scope.files().get(name).fileName(), root.originAt(0));
                }
                throw unknownMember(member, scope, at, scope.files().keySet());
            }
            case SECRETS -> {
                if (name != null && scope.secrets().containsKey(name)) {
                    SecretDecl decl = scope.secrets().get(name);
                    if (decl.variable().isPresent()) {
                        throw at.source().error("'${" + member.text() + "}' is an env secret ("
                                + decl.variable().get() + "), which has no path: list it under the service's "
                                + "secrets: to give the service its variable");
                    }
                    if (evaluation.secret(scope, name).isEmpty()) {
                        throw at.source().error("'${" + member.text() + "}': secret " + scope.name() + "." + name
                                + " has no source on host " + evaluation.host.name() + " (set secrets: "
                                + scope.name() + "." + name + ": {file: PATH} in " + evaluation.inventory.file() + ")");
                    }
                    return Text.of(evaluation.layout.currentSecret(scope.name() + "." + name),
                            evaluation.hostOrigin(evaluation.host.target() instanceof HostTarget.Local
                                    ? "local.root" : "stateDir"));
                }
                throw unknownMember(member, scope, at, scope.secrets().keySet());
            }
            default -> {
                if (name != null && scope.venvs().containsKey(name)) {
                    evaluation.venv(scope, name, at.source().location());
                    evaluation.tracker.uses(Set.of(role));
                    return evaluation.rootPath(role);
                }
                throw unknownMember(member, scope, at, scope.venvs().keySet());
            }
        }
    }

    private static RuntimeException unknownMember(Reference.Member member, ModuleDef scope, Template at,
                                                  Set<String> known) {
        return at.source().error("unknown reference '${" + member.text() + "}'"
                + (member.name() == null ? "" : NearMiss.suggestion(member.name(), known))
                + " (module " + scope.name() + " has "
                + member.kind().namespace() + ": " + String.join(", ", known) + ")");
    }

    private Piece option(Reference.Option reference, ModuleDef scope, Template at) {
        String module = reference.module() == null ? scope.name() : reference.module();
        String qualified = module + "." + reference.name();
        OptionDecl decl = evaluation.declared.get(qualified);
        if (decl == null || reference.name() == null) {
            throw at.source().error("unknown reference '${" + reference.text() + "}'"
                    + (reference.name() == null ? "" : NearMiss.suggestion(reference.name(),
                    evaluation.declared.keySet().stream().filter(o -> o.startsWith(module + "."))
                            .map(o -> o.substring(module.length() + 1)).toList()))
                    + " (not an option of module "
                    + module + " on host " + evaluation.host.name() + ")");
        }
        OptionValue value = evaluation.option(qualified, at.source().location());
        if (value instanceof OptionValue.SourceValue) {
            evaluation.tracker.uses(Set.of("source/" + qualified));
            return new Piece.Value(evaluation.rootPath("source/" + qualified), reference.text());
        }
        if (value instanceof OptionValue.ListValue list) {
            return new Piece.Items(list.items(), reference.text());
        }
        if (value instanceof OptionValue.MapValue) {
            throw at.source().error("option " + qualified + " is a map and cannot be used in text");
        }
        if (value instanceof OptionValue.IntValue number) {
            return new Piece.Value(number.text(), reference.text());
        }
        if (value instanceof OptionValue.BoolValue bool) {
            return new Piece.Value(bool.text(), reference.text());
        }
        return new Piece.Value(((OptionValue.TextValue) value).text(), reference.text());
    }
}
