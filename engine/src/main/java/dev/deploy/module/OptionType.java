package dev.deploy.module;

/** The types a module option can declare. */
public enum OptionType {
    /** Text; may contain {@code ${...}} references. */
    STRING("string"),
    /** A whole number. */
    INT("int"),
    /** true or false. */
    BOOL("bool"),
    /** A list of strings; joined with spaces when referenced in text. */
    LIST("list"),
    /** A {@code path:} or {@code git:} source; referenced in text as its store path. */
    SOURCE("source"),
    /** A string-to-string map, such as environment variables; cannot be referenced in text. */
    MAP("map");

    private final String yamlName;

    OptionType(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** The type named {@code name} in a module file, or null. */
    public static OptionType named(String name) {
        for (OptionType type : values()) {
            if (type.yamlName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}
