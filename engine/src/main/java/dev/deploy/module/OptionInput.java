package dev.deploy.module;

import dev.deploy.source.SourceSpec;
import dev.deploy.source.SourceSpecs;
import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * An option's value as written (a default, a {@code set:} value or an inventory value), parsed once for the
 * option's declared type: templates parsed, source references parsed by {@link SourceSpecs}. Evaluating it for a
 * host gives an {@link OptionValue}.
 */
public sealed interface OptionInput {

    /** The YAML value it was read from. */
    YamlValue at();

    /** A {@code string} option: one template. */
    record TextInput(Template template) implements OptionInput {
        @Override
        public YamlValue at() {
            return template.source();
        }
    }

    /** An {@code int} option: a YAML integer, or a template whose text must be one. */
    record IntInput(YamlValue at, Long literal, Template template) implements OptionInput {
    }

    /** A {@code bool} option: a YAML boolean, or a template whose text must be {@code true} or {@code false}. */
    record BoolInput(YamlValue at, Boolean literal, Template template) implements OptionInput {
    }

    /** A {@code list} option: one template per item. */
    record ListInput(YamlValue at, List<Template> items) implements OptionInput {
    }

    /** A {@code map} option: one template per entry, in file order; {@code keys} locate errors about a key. */
    record MapInput(YamlValue at, Map<String, Template> entries, YamlMap keys) implements OptionInput {
    }

    /** A {@code source} option written as a source ({@code path:}, {@code git:}, ...), relative to {@code baseDir}. */
    record SourceInput(YamlValue at, SourceSpec spec, Path baseDir) implements OptionInput {
    }

    /** A {@code source} option written as {@code ${other}}: the same store path as that source option. */
    record SourceAlias(YamlValue at, Reference reference) implements OptionInput {
    }

    /** Parses {@code value} as a value of {@code type}; a value of the wrong shape is an error at its location. */
    public static OptionInput parse(OptionType type, YamlValue value, Path baseDir) {
        return switch (type) {
            case STRING -> new TextInput(Template.parse(value));
            case INT -> value.isInteger() ? new IntInput(value, value.integer(), null)
                    : new IntInput(value, null, Template.parse(scalar(value, () -> value.integer())));
            case BOOL -> value.isBoolean() ? new BoolInput(value, value.bool(), null)
                    : new BoolInput(value, null, Template.parse(scalar(value, () -> value.bool())));
            case LIST -> new ListInput(value, value.list().stream().map(Template::parse).toList());
            case MAP -> {
                YamlMap map = value.map();
                Map<String, Template> entries = new LinkedHashMap<>();
                map.entries().forEach((key, item) -> entries.put(key, Template.parse(item)));
                yield new MapInput(value, entries, map);
            }
            case SOURCE -> {
                Matcher reference = value.isScalar() ? ModuleLoader.OPTION_REFERENCE.matcher(value.string()) : null;
                yield reference != null && reference.matches()
                        ? new SourceAlias(value, Reference.parse(reference.group(1)))
                        : new SourceInput(value, SourceSpecs.parse(value, baseDir), baseDir);
            }
        };
    }

    /** {@code value} if it is a scalar; else the type error {@code typed} throws for it. */
    private static YamlValue scalar(YamlValue value, Runnable typed) {
        if (!value.isScalar()) {
            typed.run();
        }
        return value;
    }
}
