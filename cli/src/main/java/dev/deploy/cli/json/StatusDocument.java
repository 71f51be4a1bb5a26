package dev.deploy.cli.json;

import dev.deploy.plan.HostDrift;
import dev.deploy.status.HostStatus;
import java.util.List;
import java.util.Locale;

/**
 * {@code deploy status --json}: one entry per selected host, how many drifted, how many could not be read
 * ({@code complete}: none). Read-only: nothing on any host changed.
 */
public record StatusDocument(int format, String command, int exitCode, List<Host> hosts, int drifted,
                             int failedHosts, boolean complete) implements JsonDocument {

    public StatusDocument(int exitCode, List<Host> hosts, int drifted, int failedHosts) {
        this(FORMAT, "status", exitCode, hosts, drifted, failedHosts, failedHosts == 0);
    }

    /**
     * A host: {@code outcome} {@code ok} or why it could not be read ({@code failed}, {@code unreachable}) with
     * {@code error}; then (null when it could not be read) whether it {@code drifted}, whether apply would repair
     * that ({@code repairedByApply}: false when the drift is only overrides apply leaves in place, or a service
     * systemd keeps restarting), live secret files not as declared ({@code secretRepairs}: {@code MODULE.NAME: WAS}),
     * its live generation against
     * the inventory's, its services, its live store paths' checks, leftovers, the lock and free space; like every
     * host entry, the error as fields ({@code problem}, null when none) and the connection's {@code transport}.
     */
    public record Host(String host, String outcome, String error, Boolean drifted, Boolean repairedByApply,
                       List<String> secretRepairs, Generation generation,
                       List<Service> services, Store store, List<String> leftovers, Lock lock, Space space,
                       Problem problem, Transport transport) {

        public static Host failed(String host, String outcome, String error, Problem problem, Transport transport) {
            return new Host(host, outcome, error, null, null, null, null, null, null, null, null, null, problem,
                    transport);
        }

        public static Host of(HostStatus status, Transport transport) {
            Generation generation = new Generation(status.state().currentNumber().orElse(null),
                    status.generation().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    status.generationError().orElse(null));
            List<Service> services = status.services().stream().map(s -> new Service(s.unit(), s.state().label(),
                    s.state().active(), s.state().sub(), "active", s.asExpected(), s.state().overrides(),
                    s.state().unlinked())).toList();
            List<StorePath> paths = status.store().stream().map(StorePath::of).toList();
            Lock lock = status.lock().map(l -> new Lock(l.status().name().toLowerCase(Locale.ROOT),
                    l.holder().isEmpty() ? null : l.holder())).orElse(null);
            Space space = new Space(status.freeBytes() < 0 ? null : status.freeBytes(), status.bytesNeeded(),
                    status.spaceShortfall().isEmpty());
            return new Host(status.host(), "ok", null, status.drifted(), status.repairedByApply(),
                    status.secretRepairs(), generation, services,
                    new Store(status.check().name().toLowerCase(Locale.ROOT), paths), status.leftovers(), lock,
                    space, null, transport);
        }
    }

    /** The live generation ({@code live}, null: none) and {@code status}: up-to-date, outdated or unknown. */
    public record Generation(Integer live, String status, String error) {
    }

    /**
     * A live service: systemd's words, whether that is the expected {@code active} from deploy's unit alone, and what
     * overrides the unit (drop-ins, a unit file that is not deploy's link, a unit changed since systemd loaded it),
     * and deploy's links that are missing ({@code unlinked}: the unit's and its multi-user.target.wants entry).
     */
    public record Service(String unit, String state, String activeState, String subState, String expected,
                          boolean asExpected, List<String> overrides, List<String> unlinked) {
    }

    /** How store paths were checked ({@code fast} or {@code full}) and each live path's result. */
    public record Store(String check, List<StorePath> paths) {
    }

    /**
     * A live store path: {@code status} ok, damaged or unknown; for damaged, {@code damage} (missing, entry,
     * modified, content) and {@code detail} (the first path concerned); for unknown, why in {@code detail}.
     */
    public record StorePath(String storePath, String status, String damage, String detail) {

        static StorePath of(HostStatus.StoreCheck check) {
            String path = check.path().toString();
            if (check.check() instanceof HostDrift.PathCheck.Damaged d) {
                return new StorePath(path, "damaged", d.what(), d.detail());
            }
            if (check.check() instanceof HostDrift.PathCheck.Unknown u) {
                return new StorePath(path, "unknown", null, u.reason());
            }
            return new StorePath(path, "ok", null, null);
        }
    }

    /** The deploy lock: free, held (by {@code holder}) or unknown. */
    public record Lock(String status, String holder) {
    }

    /** Free bytes in the state directory (null: unknown), bytes the next apply needs, and whether they fit. */
    public record Space(Long freeBytes, long neededBytes, boolean enough) {
    }
}
