package dev.deploy.module;

import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Parses {@code set:} and inventory values for their option's type once per run: a value set in the inventory's
 * {@code defaults} or a module's {@code set:} is the same YAML node for every host, so it is parsed for the first
 * host and reused.
 */
final class OptionInputs {

    private final Map<YamlValue, OptionInput> parsed = Collections.synchronizedMap(new IdentityHashMap<>());

    OptionInput parse(OptionType type, YamlValue value, Path baseDir) {
        OptionInput input = parsed.get(value);
        if (input == null) {
            input = OptionInput.parse(type, value, baseDir);
            parsed.put(value, input);
        }
        return input;
    }
}
