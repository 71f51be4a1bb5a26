package dev.deploy.module;

import dev.deploy.render.Characters;
import dev.deploy.render.Origin;
import dev.deploy.render.Text;
import dev.deploy.store.Artifact;
import dev.deploy.venv.VenvRequest;
import dev.deploy.Location;
import dev.deploy.yaml.YamlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates a venv declaration on one host into a {@link VenvRequest}, built later once the host's Python is known.
 * Its project and wheelhouse are sources; what a venv reads is not an input of the service that uses the venv (the
 * venv itself is).
 */
final class VenvEvaluator {

    private VenvEvaluator() {
    }

    static VenvRequest evaluate(Evaluation evaluation, ModuleDef module, VenvDecl decl, String role,
                                Location referencedAt) {
        evaluation.tracker.enter(role, referencedAt == null ? decl.location() : referencedAt);
        try {
            Artifact project = sourceReference(evaluation, decl.project(), module, "project");
            Optional<String> pkg = decl.pkg().map(t -> evaluation.text(t, module).value().strip())
                    .filter(v -> !v.isEmpty());
            List<VenvRequest.Selected> extras = selected(evaluation, decl.extras(), module);
            List<VenvRequest.Selected> groups = selected(evaluation, decl.groups(), module);
            String python = decl.python().map(t -> interpreter(evaluation, t, module)).filter(v -> !v.isEmpty())
                    .orElse("python3");
            Optional<Artifact> wheelhouse = decl.wheelhouse()
                    .map(t -> sourceReference(evaluation, t, module, "wheelhouse"));
            return new VenvRequest(role, decl.location() + ": venvs." + decl.name(), project, pkg, extras, groups,
                    python, wheelhouse);
        } finally {
            evaluation.tracker.drop();
        }
    }

    /**
     * Extra or group names: a list of templates, or one template naming a list option, each split on blanks. Each
     * name keeps where its first character was written (the inventory line that set a list option, or the module's
     * declaration), so an unknown name is reported there.
     */
    private static List<VenvRequest.Selected> selected(Evaluation evaluation, List<Template> templates,
                                                       ModuleDef module) {
        List<VenvRequest.Selected> names = new ArrayList<>();
        for (Template template : templates) {
            Text text = evaluation.text(template, module);
            String value = text.value();
            int i = 0;
            while (i < value.length()) {
                if (Character.isWhitespace(value.charAt(i))) {
                    i++;
                    continue;
                }
                int start = i;
                while (i < value.length() && !Character.isWhitespace(value.charAt(i))) {
                    i++;
                }
                Origin origin = text.originAt(start);
                names.add(new VenvRequest.Selected(value.substring(start, i), origin.location(), origin.field()));
            }
        }
        return names;
    }

    /**
     * The interpreter: a path or a command name without control characters (it becomes a line of the venv's
     * {@code pyvenv.cfg} and a symlink target; shells get it quoted).
     */
    private static String interpreter(Evaluation evaluation, Template template, ModuleDef module) {
        Text text = evaluation.text(template, module).strip();
        int bad = Characters.firstForbidden(text.value());
        if (bad >= 0) {
            throw evaluation.site(template).reject("python must be a path or a command name, without control "
                    + "characters (found " + Characters.describe(text.value().charAt(bad)) + ")", text.originAt(bad));
        }
        return text.value();
    }

    /** The artifact of the source {@code value} references as a whole: {@code ${option}} or {@code ${sources.NAME}}. */
    private static Artifact sourceReference(Evaluation evaluation, Template value, ModuleDef scope, String field) {
        Optional<Reference> whole = value.wholeReference();
        if (whole.isEmpty()) {
            throw value.source().error(field + ": expected a reference to a source, like ${source} or "
                    + "${sources.NAME}, got " + YamlValue.quoted(value.source().string().strip()));
        }
        Reference reference = whole.get();
        if (reference instanceof Reference.Member member && member.kind() == Reference.Member.Kind.SOURCES
                && member.name() != null && scope.sources().containsKey(member.name())) {
            return evaluation.source(scope, member.name());
        }
        Reference.Option option = reference instanceof Reference.Option o && o.name() != null ? o : null;
        String qualified = option == null ? null
                : (option.module() == null ? scope.name() : option.module()) + "." + option.name();
        OptionDecl decl = qualified == null ? null : evaluation.declared.get(qualified);
        if (decl == null || decl.type() != OptionType.SOURCE) {
            throw value.source().error(field + ": '${" + reference.text() + "}' is not a source option or source of "
                    + "module " + scope.name());
        }
        return ((OptionValue.SourceValue) evaluation.option(qualified, value.source().location())).artifact();
    }
}
