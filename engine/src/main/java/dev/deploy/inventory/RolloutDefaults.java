package dev.deploy.inventory;

import dev.deploy.yaml.YamlMap;
import dev.deploy.yaml.YamlValue;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The inventory's top-level {@code rollout} section: defaults for {@code deploy apply} that its command-line options
 * override. Every field is optional:
 * <pre>
 * rollout:
 *   batch: 2              # or "25%": hosts per batch
 *   canary: "@canary"     # or 1: a first batch on its own
 *   maxFailures: 1        # stop starting hosts after this many failed
 *   order: inventory      # inventory (groups, then hosts), hosts or name
 *   rollbackRunOnAbort: true
 * </pre>
 */
public record RolloutDefaults(Optional<BatchSize> batch, Optional<CanarySelector> canary, OptionalInt maxFailures,
                              Optional<HostOrder> order, Optional<Boolean> rollbackRunOnAbort) {

    public static final RolloutDefaults NONE = new RolloutDefaults(Optional.empty(), Optional.empty(),
            OptionalInt.empty(), Optional.empty(), Optional.empty());

    private static final Set<String> FIELDS = Set.of("batch", "canary", "maxFailures", "order", "rollbackRunOnAbort");

    /** Reads the section; a wrong value is an input error naming its file, line, column and field. */
    static RolloutDefaults read(YamlValue value) {
        if (value.isNull()) {
            return NONE;
        }
        YamlMap map = value.map().allowOnly(FIELDS);
        Optional<BatchSize> batch = map.get("batch").map(v -> parse(v, () -> BatchSize.parse(v.string())));
        Optional<CanarySelector> canary = map.get("canary")
                .map(v -> parse(v, () -> CanarySelector.parse(v.string())));
        OptionalInt maxFailures = OptionalInt.empty();
        if (map.get("maxFailures").isPresent()) {
            YamlValue v = map.get("maxFailures").get();
            long k = v.integer();
            if (k < 1 || k > Integer.MAX_VALUE) {
                throw v.error("maxFailures must be at least 1, got " + k);
            }
            maxFailures = OptionalInt.of((int) k);
        }
        Optional<HostOrder> order = map.get("order").map(v -> parse(v, () -> HostOrder.parse(v.string())));
        Optional<Boolean> rollback = map.get("rollbackRunOnAbort").map(YamlValue::bool);
        return new RolloutDefaults(batch, canary, maxFailures, order, rollback);
    }

    private static <T> T parse(YamlValue value, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw value.error(e.getMessage());
        }
    }
}
