package dev.deploy.module;

import dev.deploy.yaml.Location;
import dev.deploy.yaml.YamlValue;
import java.util.Optional;

/** An option a module declares: {@code module.name}, its type, an optional default and a description. */
public record OptionDecl(String module, String name, OptionType type, Optional<YamlValue> defaultValue,
                         String description, Location location) {

    public String qualifiedName() {
        return module + "." + name;
    }
}
