package dev.deploy.cli;

import dev.deploy.plan.HostPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plan's secret changes for JSON output: {@code [{"secret": "MODULE.NAME", "change": "add|change|remove"}]}. */
final class SecretChangesJson {

    private SecretChangesJson() {
    }

    static List<Map<String, Object>> of(HostPlan plan) {
        return plan.secretChanges().stream().map(change -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("secret", change.name());
            item.put("change", change.change().name().toLowerCase(Locale.ROOT));
            return item;
        }).toList();
    }
}
