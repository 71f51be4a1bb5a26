package dev.deploy.inventory;

import dev.deploy.yaml.NearMiss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The order in which a rollout reaches hosts (and in which its results are listed). */
public enum HostOrder {

    /**
     * The inventory's order: groups in the order the {@code groups} section declares them (a host goes with the
     * earliest of its groups), then hosts without a group; within each, the order of the {@code hosts} section.
     */
    INVENTORY,
    /** The order of the {@code hosts} section, ignoring groups. */
    HOSTS,
    /** Host names sorted alphabetically. */
    NAME;

    /** {@code hosts} (a selection of {@code inventory}'s hosts) in this order. */
    public List<Host> sort(Inventory inventory, List<Host> hosts) {
        List<Host> sorted = new ArrayList<>(hosts);
        List<Host> declared = inventory.hosts();
        Comparator<Host> byDeclaration = Comparator.comparingInt(declared::indexOf);
        switch (this) {
            case INVENTORY -> sorted.sort(Comparator.<Host>comparingInt(host -> firstGroup(inventory, host))
                    .thenComparing(byDeclaration));
            case HOSTS -> sorted.sort(byDeclaration);
            case NAME -> sorted.sort(Comparator.comparing(Host::name));
        }
        return List.copyOf(sorted);
    }

    /** The name used on the command line and in the inventory. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code inventory}, {@code hosts} or {@code name}.
     *
     * @throws IllegalArgumentException naming the accepted values otherwise
     */
    public static HostOrder parse(String text) {
        for (HostOrder order : values()) {
            if (order.label().equals(text.strip())) {
                return order;
            }
        }
        throw new IllegalArgumentException("expected inventory, hosts or name, got \"" + text + "\""
                + NearMiss.suggestion(text.strip(), Arrays.stream(values()).map(HostOrder::label).toList()));
    }

    private static int firstGroup(Inventory inventory, Host host) {
        int first = inventory.groups().size();
        for (String group : host.groups()) {
            int index = inventory.groups().indexOf(group);
            if (index >= 0 && index < first) {
                first = index;
            }
        }
        return first;
    }
}
