package dev.deploy.module;

import dev.deploy.render.Text;
import dev.deploy.store.Artifact;
import dev.deploy.yaml.YamlMap;
import java.util.List;
import java.util.SortedMap;

/**
 * An option's evaluated value on one host, one case per {@link OptionType}. Text keeps where each character was
 * written, so that a value refused later (in a unit file, a command line) names the inventory or module line.
 */
public sealed interface OptionValue {

    /** A {@code string} option. */
    record TextValue(Text text) implements OptionValue {
    }

    /** An {@code int} option; {@code text} is the number as it is substituted. */
    record IntValue(long value, Text text) implements OptionValue {
    }

    /** A {@code bool} option; {@code text} is {@code true} or {@code false}. */
    record BoolValue(boolean value, Text text) implements OptionValue {
    }

    /** A {@code list} option: one text per item. */
    record ListValue(List<Text> items) implements OptionValue {
    }

    /** A {@code map} option; {@code keys} locate errors about a key (e.g. an invalid environment variable name). */
    record MapValue(SortedMap<String, Text> entries, YamlMap keys) implements OptionValue {
    }

    /** A {@code source} option: its artifact, referenced in text as its root path. */
    record SourceValue(Artifact artifact) implements OptionValue {
    }
}
