package dev.deploy.module;

import dev.deploy.render.Origin;
import dev.deploy.render.Text;
import dev.deploy.store.Artifact;
import dev.deploy.yaml.YamlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Turns an option's parsed input into its typed value on one host, rendering its templates. */
final class OptionValues {

    private OptionValues() {
    }

    static OptionValue convert(Evaluation evaluation, OptionDecl decl, Assignments.Assignment assignment) {
        OptionInput input = assignment.input();
        ModuleDef scope = assignment.scope();
        if (input instanceof OptionInput.TextInput text) {
            return new OptionValue.TextValue(evaluation.text(text.template(), scope));
        }
        if (input instanceof OptionInput.IntInput number) {
            if (number.literal() != null) {
                return new OptionValue.IntValue(number.literal(), Text.of(number.literal().toString(),
                        Origin.of(number.at())));
            }
            return integer(number.at(), evaluation.text(number.template(), scope));
        }
        if (input instanceof OptionInput.BoolInput bool) {
            if (bool.literal() != null) {
                return new OptionValue.BoolValue(bool.literal(), Text.of(bool.literal().toString(),
                        Origin.of(bool.at())));
            }
            return bool(bool.at(), evaluation.text(bool.template(), scope));
        }
        if (input instanceof OptionInput.ListInput list) {
            List<Text> items = new ArrayList<>(list.items().size());
            list.items().forEach(item -> items.add(evaluation.text(item, scope)));
            return new OptionValue.ListValue(List.copyOf(items));
        }
        if (input instanceof OptionInput.MapInput map) {
            SortedMap<String, Text> entries = new TreeMap<>();
            map.entries().forEach((key, item) -> entries.put(key, evaluation.text(item, scope)));
            return new OptionValue.MapValue(entries, map.keys());
        }
        if (input instanceof OptionInput.SourceInput source) {
            return new OptionValue.SourceValue(evaluation.sourceArtifact(decl.qualifiedName(), source.spec(),
                    source.baseDir()));
        }
        return new OptionValue.SourceValue(alias(evaluation, (OptionInput.SourceAlias) input, scope));
    }

    /** A source option's value given as {@code ${other}}: the same artifact as that source option. */
    private static Artifact alias(Evaluation evaluation, OptionInput.SourceAlias alias, ModuleDef scope) {
        Reference reference = alias.reference();
        String qualified = reference instanceof Reference.Option option && option.name() != null
                ? (option.module() == null ? scope.name() : option.module()) + "." + option.name()
                : reference.text();
        OptionDecl decl = evaluation.declared.get(qualified);
        if (decl == null || decl.type() != OptionType.SOURCE) {
            throw alias.at().error("'${" + reference.text() + "}' is not a source option of module "
                    + qualified.substring(0, Math.max(0, qualified.indexOf('.'))) + " on host "
                    + evaluation.host.name() + " (a source is path:DIR, git:URL#REF or ${a-source-option})");
        }
        evaluation.tracker.uses(Set.of("source/" + qualified));
        return ((OptionValue.SourceValue) evaluation.option(qualified, alias.at().location())).artifact();
    }

    private static OptionValue integer(YamlValue at, Text text) {
        String digits = text.value().strip();
        try {
            long value = Long.parseLong(digits);
            return new OptionValue.IntValue(value, Text.of(Long.toString(value), text.isEmpty() ? Origin.of(at)
                    : text.originAt(0)));
        } catch (NumberFormatException e) {
            if (digits.matches("[+-]?[0-9]+")) {
                throw at.error("integer out of range, got " + YamlValue.quoted(text.value()));
            }
            throw at.error("expected an integer, got " + YamlValue.quoted(text.value()));
        }
    }

    private static OptionValue bool(YamlValue at, Text text) {
        if (text.value().equals("true") || text.value().equals("false")) {
            return new OptionValue.BoolValue(Boolean.parseBoolean(text.value()), text);
        }
        throw at.error("expected true or false, got " + YamlValue.quoted(text.value()));
    }
}
