package dev.deploy.yaml;

import dev.deploy.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which keys the readers of the input files accept, map by map: while {@link #record} runs an action on the current
 * thread, every {@link YamlMap#allowOnly} check (the one place a reader declares its fields) is noted with the map's
 * location. This is how the test that keeps {@code schema/*.schema.json} in step with the loaders enumerates the
 * loaders' fields, including ones added later, without a second list to maintain. Off (one thread-local read per
 * check) unless recording.
 */
public final class KnownFields {

    /** The keys a reader accepted in the mapping at {@code location} (the mapping node's first character). */
    public record Check(Location location, String field, Set<String> allowed) {
    }

    private static final ThreadLocal<List<Check>> RECORDING = new ThreadLocal<>();

    private KnownFields() {
    }

    /** Runs {@code action} and returns the checks it made together with its result. */
    public static <T> Recorded<T> record(Supplier<T> action) {
        List<Check> checks = new ArrayList<>();
        List<Check> outer = RECORDING.get();
        RECORDING.set(checks);
        try {
            T result = action.get();
            return new Recorded<>(result, List.copyOf(checks));
        } finally {
            if (outer == null) {
                RECORDING.remove();
            } else {
                outer.addAll(checks);
                RECORDING.set(outer);
            }
        }
    }

    /** An action's result and the field checks made while it ran, in order. */
    public record Recorded<T>(T result, List<Check> checks) {
    }

    static void allowOnly(YamlMap map, Set<String> allowed) {
        List<Check> checks = RECORDING.get();
        if (checks != null) {
            checks.add(new Check(map.location(), map.field(), Set.copyOf(allowed)));
        }
    }
}
