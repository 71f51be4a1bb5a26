package dev.deploy.cli;

import dev.deploy.inventory.Host;
import dev.deploy.plan.HostDrift;
import dev.deploy.plan.HostPlan;
import dev.deploy.status.HostStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints {@code deploy status}: one block per host, problems marked with !, and its {@code --json} document. */
final class StatusPrinter {

    private final PrintWriter out;
    private final Style style;

    StatusPrinter(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    void print(Host host, HostStatus status) {
        out.println(style.bold(host.name()) + " (" + PlanPrinter.describe(host) + "): "
                + (status.drifted() ? style.yellow("drifted") : style.green("as deployed")));
        String live = status.state().currentNumber().map(n -> "generation " + n).orElse("no generation");
        switch (status.generation()) {
            case UP_TO_DATE -> out.println("  " + live + ": up to date");
            case OUTDATED -> out.println("  " + style.yellow(live + ": outdated") + " (" + outdated(host, status) + ")");
            case UNKNOWN -> out.println("  " + style.yellow(live + ": unknown") + " (the inventory's generation"
                    + " could not be computed: " + status.generationError().orElse("") + ")");
        }
        for (HostStatus.Service service : status.services()) {
            String line = "service " + service.unit() + ": " + service.state().label();
            List<String> overrides = service.state().overrides();
            List<String> unlinked = service.state().unlinked();
            out.println("  " + (service.asExpected() ? line : style.red("! " + line)
                    + (!overrides.isEmpty() ? " (not from deploy's unit alone)"
                    : !unlinked.isEmpty() ? " (its unit is not linked: gone at the next daemon-reload or boot)"
                    : " (expected active)")));
            for (String link : unlinked) {
                out.println("    ! missing link " + PlanDiffPrinter.printable(link) + " (apply links it again)");
            }
            for (String override : overrides) {
                out.println("    ! " + PlanDiffPrinter.printable(override)
                        + " (apply leaves what deploy did not make: remove it, or set it in the module)");
            }
        }
        for (String secret : status.secretRepairs()) {
            out.println("  " + style.red("! secret " + PlanDiffPrinter.printable(secret))
                    + " (not as declared; apply writes it again)");
        }
        List<HostStatus.StoreCheck> store = status.store();
        long damaged = store.stream().filter(s -> s.check() instanceof HostDrift.PathCheck.Damaged).count();
        long unknown = store.stream().filter(s -> s.check() instanceof HostDrift.PathCheck.Unknown).count();
        out.println("  store: " + store.size() + " live store path(s) checked ("
                + (status.check() == HostDrift.Check.FULL ? "every file's SHA-256" : "entries, modes, mtimes")
                + "): " + (damaged == 0 ? "ok" : style.red(damaged + " damaged"))
                + (unknown == 0 ? "" : ", " + unknown + " not checkable"));
        for (HostStatus.StoreCheck check : store) {
            if (check.check() instanceof HostDrift.PathCheck.Damaged d) {
                out.println("    " + style.red("! " + check.path()) + ": " + d.describe());
            } else if (check.check() instanceof HostDrift.PathCheck.Unknown u) {
                out.println("    ? " + check.path() + ": " + u.reason());
            }
        }
        if (!status.leftovers().isEmpty()) {
            out.println("  leftovers (removed by the next apply): " + String.join(", ", status.leftovers()));
        }
        status.lock().ifPresent(lock -> out.println("  lock: " + switch (lock.status()) {
            case FREE -> "free";
            case HELD -> "held by " + (lock.holder().isEmpty() ? "an unknown deploy" : lock.holder());
            case UNKNOWN -> "unknown (no /proc/locks)";
        }));
        String space = status.freeBytes() < 0 ? "unknown free space"
                : Style.bytes(status.freeBytes()) + " free in " + host.target().stateDir();
        String need = status.plan().isEmpty() ? "" : ", the next apply needs " + Style.bytes(status.bytesNeeded());
        out.println("  space: " + status.spaceShortfall().map(s -> style.red("! " + s)).orElse(space + need));
    }

    /**
     * What apply would do to an outdated host, in the words plans and rollbacks use: services are restarted only where
     * the host starts them, else their changes are said to be only recorded ({@link ServiceWords}).
     */
    static String outdated(Host host, HostStatus status) {
        HostPlan plan = status.plan().orElseThrow();
        if (status.state().currentNumber().isEmpty()) {
            return "never deployed";
        }
        List<String> parts = new ArrayList<>();
        for (HostPlan.RootChange change : plan.rootChanges()) {
            parts.add((change.change() == HostPlan.Change.ADD ? "+" : change.change() == HostPlan.Change.CHANGE ? "~"
                    : "-") + change.role());
        }
        status.state().currentFailure().ifPresent(f -> parts.add("live generation marked failed"));
        String services = ServiceWords.phrase(plan.serviceChanges().stream().filter(c -> c.was().isEmpty()).toList(),
                plan.startsServices(), host);
        if (!services.isEmpty()) {
            parts.add(services);
        }
        return parts.isEmpty() ? "apply would write a new generation" : "apply would: " + String.join(", ", parts);
    }

    void summary(List<HostStatus> statuses, int failed) {
        long drifted = statuses.stream().filter(HostStatus::drifted).count();
        out.println();
        if (failed > 0) {
            out.println(style.bold("Status: incomplete.") + " " + failed + " of " + (statuses.size() + failed)
                    + " host(s) could not be read (errors above); of the others, " + drifted + " drifted.");
        } else if (drifted == 0) {
            out.println(style.bold("Status: ") + statuses.size() + " host(s) as deployed.");
        } else {
            String apply = statuses.stream().anyMatch(st -> st.check() == HostDrift.Check.FULL)
                    ? "'deploy apply --verify'" : "'deploy apply'";
            long repaired = statuses.stream().filter(HostStatus::repairedByApply).count();
            long overridden = statuses.stream().filter(st -> !st.overrides().isEmpty()).count();
            long rest = statuses.stream().filter(st -> st.drifted() && !st.repairedByApply()
                    && st.overrides().isEmpty()).count();
            List<String> parts = new ArrayList<>();
            if (repaired > 0) {
                parts.add(apply + " repairs " + (repaired == drifted ? "them" : repaired + " of them"));
            }
            if (overridden > 0) {
                parts.add(overridden + " with overrides deploy did not make, which apply leaves in place (remove "
                        + "them, or move the setting into the module)");
            }
            if (rest > 0) {
                parts.add(rest + " with a service systemd keeps restarting (see its journal)");
            }
            out.println(style.bold("Status: " + drifted + " of " + statuses.size() + " host(s) drifted") + " ("
                    + String.join("; ", parts) + ").");
        }
    }
}
