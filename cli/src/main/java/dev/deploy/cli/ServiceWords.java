package dev.deploy.cli;

import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.plan.HostPlan;
import java.util.List;
import java.util.Locale;

/**
 * How service changes are named in plans, rollbacks and status lines, true to what the host does with them: where
 * the switch acts on services ({@link HostPlan#startsServices}) they are {@code start}, {@code restart} and
 * {@code stop}; elsewhere (a local target without {@code services: systemd}, a host without systemd) they are only
 * recorded in the generation, and said to be.
 */
final class ServiceWords {

    private ServiceWords() {
    }

    /** Why {@code host} starts no services: {@code local target without services: systemd} or no systemd there. */
    static String notStartedReason(Host host) {
        return host.target() instanceof HostTarget.Local && !host.target().managesServices()
                ? "local target without services: systemd" : "no systemd on this host";
    }

    /** The verb of an action that is carried out: {@code start}, {@code restart}, {@code stop}. */
    static String verb(HostPlan.ServiceAction action) {
        return action.name().toLowerCase(Locale.ROOT);
    }

    /** What a recorded-only change is: the service was {@code added}, {@code changed} or {@code removed}. */
    static String recorded(HostPlan.ServiceAction action) {
        return switch (action) {
            case START -> "added";
            case RESTART -> "changed";
            case STOP -> "removed";
        };
    }

    /** The sign a plan shows for an action: + start, ~ restart, - stop. */
    static String sign(HostPlan.ServiceAction action) {
        return switch (action) {
            case START -> "+";
            case RESTART -> "~";
            case STOP -> "-";
        };
    }

    /**
     * The service changes of a switch in one parenthesis-free phrase: {@code restart web, stop old} where they are
     * carried out, {@code web changed, old removed (recorded only: REASON)} where not; empty for none.
     */
    static String phrase(List<HostPlan.ServiceChange> changes, boolean started, Host host) {
        if (changes.isEmpty()) {
            return "";
        }
        if (started) {
            return String.join(", ", changes.stream().map(c -> verb(c.action()) + " " + c.service()).toList());
        }
        return String.join(", ", changes.stream().map(c -> c.service() + " " + recorded(c.action())).toList())
                + "; recorded only: " + notStartedReason(host);
    }

    /** How many of {@code plans}' service changes start or restart a service (where the host acts on them). */
    static long toStart(List<HostPlan> plans) {
        return plans.stream().filter(HostPlan::startsServices).flatMap(p -> p.serviceChanges().stream())
                .filter(c -> c.action() != HostPlan.ServiceAction.STOP).count();
    }

    /** How many of {@code plans}' service changes are only recorded (hosts that start no services). */
    static long recordedOnly(List<HostPlan> plans) {
        return plans.stream().filter(p -> !p.startsServices()).mapToLong(p -> p.serviceChanges().size()).sum();
    }
}
