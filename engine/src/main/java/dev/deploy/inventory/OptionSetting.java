package dev.deploy.inventory;

import dev.deploy.yaml.YamlValue;

/**
 * An option value set in the inventory, e.g. {@code site.port: 8080}. The raw YAML value is kept so that it is
 * converted to the option's declared type, with its own location in errors, once the module graph is known.
 */
public record OptionSetting(String option, YamlValue value) {
}
