package dev.deploy.python;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The values PEP 508 marker variables take on one interpreter, plus the extras that are active while a marker is
 * evaluated. {@code extra == "x"} holds when {@code x} is one of {@link #extras()}.
 */
public record MarkerEnvironment(Map<String, String> values, Set<String> extras) {

    /** The variables every environment defines; {@code extra} comes from {@link #extras()} instead. */
    public static final Set<String> VARIABLES = Set.of(
            "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
            "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
            "implementation_version");

    public MarkerEnvironment {
        if (!values.keySet().containsAll(VARIABLES)) {
            TreeSet<String> missing = new TreeSet<>(VARIABLES);
            missing.removeAll(values.keySet());
            throw new IllegalArgumentException("marker environment lacks " + missing);
        }
        values = Map.copyOf(values);
        TreeSet<String> normalized = new TreeSet<>();
        extras.forEach(extra -> normalized.add(PackageNames.normalize(extra)));
        extras = Set.copyOf(normalized);
    }

    /** The same environment with these extras active instead. */
    public MarkerEnvironment withExtras(Set<String> activeExtras) {
        return new MarkerEnvironment(values, activeExtras);
    }

    public String value(String variable) {
        String value = values.get(variable);
        if (value == null) {
            throw new IllegalArgumentException("unknown marker variable " + variable);
        }
        return value;
    }
}
