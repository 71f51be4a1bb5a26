package dev.deploy.module;

import dev.deploy.Location;
import java.util.Optional;

/**
 * An option a module declares: {@code module.name}, its type, an optional default (parsed for the type when the
 * module was loaded) and a description.
 */
public record OptionDecl(String module, String name, OptionType type, Optional<OptionInput> defaultValue,
                         String description, Location location) {

    public String qualifiedName() {
        return module + "." + name;
    }
}
