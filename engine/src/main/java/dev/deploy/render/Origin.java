package dev.deploy.render;

import dev.deploy.Location;
import dev.deploy.yaml.YamlValue;

/**
 * Where a piece of text was written: a value in an inventory or module file ({@code file:line:column} and its dotted
 * field), or, for text deploy derives (a store path under the state directory), the input it derives from.
 */
public record Origin(Location location, String field) {

    public static Origin of(YamlValue value) {
        return new Origin(value.location(), value.field());
    }

    @Override
    public String toString() {
        return field == null || field.isEmpty() ? location.toString() : location + " (" + field + ")";
    }
}
