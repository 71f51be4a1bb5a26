package dev.deploy.status;

import dev.deploy.plan.FreeSpace;
import dev.deploy.plan.HostDrift;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.store.StorePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code deploy status} reports for one host, read without changing anything: the live generation against what
 * the inventory would deploy, each live service's state against the expected one, each live store path's integrity
 * check, leftovers of interrupted runs, the deploy lock's holder, and free space in the state directory against what
 * the next apply needs. Built from the host's state and the plan of what apply would do from it.
 *
 * @param plan what apply would do; empty when the inventory's generation for this host could not be computed
 *             ({@code generationError} says why), so the generation's status is {@link Generation#UNKNOWN}
 * @param state the host's state with its drift
 */
public record HostStatus(String host, HostState state, Optional<HostPlan> plan, Optional<String> generationError,
                         HostDrift.Check check, boolean managesServices) {

    /** The live generation against the inventory's. */
    public enum Generation {
        /** Apply would change no root and no service (drift aside). */
        UP_TO_DATE,
        /** Apply would write a new generation: roots or services differ, or the host has none yet. */
        OUTDATED,
        /** The inventory's generation for this host could not be computed. */
        UNKNOWN
    }

    /** A live service: systemd's state, and whether it is what a deployed service should be in. */
    public record Service(String unit, HostDrift.ServiceState state, boolean asExpected) {
    }

    /** A live store path and its check. */
    public record StoreCheck(StorePath path, HostDrift.PathCheck check) {
    }

    public Generation generation() {
        if (plan.isEmpty()) {
            return Generation.UNKNOWN;
        }
        HostPlan p = plan.get();
        // services that change with the generation; a start or restart that only repairs drift does not count
        boolean rootsOrServices = !p.rootChanges().isEmpty() || !dev.deploy.plan.Planner.serviceChanges(
                state.current().map(m -> m.services()).orElse(new java.util.TreeMap<>()),
                p.desired().manifest().services()).isEmpty();
        boolean fresh = p.toAdd().size() > p.toRepair().size();
        return state.currentNumber().isEmpty() || rootsOrServices || fresh || state.currentFailure().isPresent()
                ? Generation.OUTDATED : Generation.UP_TO_DATE;
    }

    /** The live generation's services (systemd hosts where deploy manages services; empty elsewhere). */
    public List<Service> services() {
        if (!managesServices || !state.systemd()) {
            return List.of();
        }
        List<Service> services = new ArrayList<>();
        for (Map.Entry<String, HostDrift.ServiceState> entry : state.drift().services().entrySet()) {
            services.add(new Service(entry.getKey(), entry.getValue(), entry.getValue().expected()));
        }
        return services;
    }

    public List<StoreCheck> store() {
        return state.drift().paths().entrySet().stream().map(e -> new StoreCheck(e.getKey(), e.getValue())).toList();
    }

    public List<String> leftovers() {
        return state.drift().leftovers();
    }

    public Optional<HostDrift.LockState> lock() {
        return state.drift().lock();
    }

    /** Free bytes in the state directory; -1 when the host did not say. */
    public long freeBytes() {
        return state.freeBytes();
    }

    /** Bytes the next apply needs there (store paths built at apply not counted); 0 without a plan. */
    public long bytesNeeded() {
        return plan.map(HostPlan::bytesNeeded).orElse(0L);
    }

    /** "not enough space on HOST: need X, have Y in DIR", when the next apply would not fit. */
    public Optional<String> spaceShortfall() {
        return plan.flatMap(FreeSpace::shortfall);
    }

    /**
     * Whether the host drifted from what deploy would make of it: the generation is not up to date, a service is not
     * in its expected state, or a live store path failed its check.
     */
    public boolean drifted() {
        return repairedByApply() || services().stream().anyMatch(s -> !s.asExpected());
    }

    /**
     * Whether {@code deploy apply} would bring the host back: its generation is not up to date, a service is stopped
     * (inactive or failed) or its unit is not linked, or a live store path failed its check. Overrides ({@link #overrides}) are not repaired,
     * nor a service systemd keeps restarting.
     */
    public boolean repairedByApply() {
        return generation() != Generation.UP_TO_DATE
                || services().stream().anyMatch(s -> s.state().stopped() || !s.state().unlinked().isEmpty())
                || !secretRepairs().isEmpty()
                || store().stream().anyMatch(s -> s.check() instanceof HostDrift.PathCheck.Damaged);
    }

    /**
     * Live secret files whose owner, group or mode is not the declared one, or that are gone, as
     * {@code MODULE.NAME: WAS} ({@code app.token: root:root 0644}); apply writes them again.
     */
    public List<String> secretRepairs() {
        return plan.map(p -> p.secretChanges().stream().filter(c -> c.was() != null)
                .map(c -> c.name() + ": " + c.was()).toList()).orElse(List.of());
    }

    /**
     * What makes systemd run a live service otherwise than from deploy's unit alone, {@code UNIT: OVERRIDE}
     * ({@code web.service: drop-in /etc/systemd/system/web.service.d/override.conf}): drift that apply leaves in
     * place, since deploy never deletes or replaces a file it did not make (a drop-in may be a vendor's, or an
     * administrator's deliberate fix); it is reported until someone removes it or moves the setting into the module.
     */
    public List<String> overrides() {
        List<String> overrides = new ArrayList<>();
        for (Service service : services()) {
            service.state().overrides().forEach(o -> overrides.add(service.unit() + ": " + o));
        }
        return overrides;
    }
}
