package dev.deploy.fleet;

import dev.deploy.DeployException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * A per-host value computed at most once per run (a connection, a realized generation), or the
 * {@link DeployException} that computing it threw, which is thrown again to every later caller for that host.
 * Callers for different hosts never wait for each other; callers for the same host wait for the first one.
 * An exception other than a {@link DeployException} is not kept (it is a bug, not a fact about the host).
 *
 * @param <T> the value kept per host
 */
final class HostMemo<T> {

    /** What is known about one host: its value, or why there is none. */
    sealed interface Entry<T> {
    }

    record Ready<T>(T value) implements Entry<T> {
    }

    record Failed<T>(DeployException error) implements Entry<T> {
    }

    private final ConcurrentMap<String, Slot<T>> slots = new ConcurrentHashMap<>();

    /** The value for {@code host}, computing it with {@code compute} if no caller did yet. */
    T get(String host, Supplier<T> compute) {
        Entry<T> entry = slots.computeIfAbsent(host, name -> new Slot<>()).get(compute);
        if (entry instanceof Failed<T> failed) {
            throw failed.error();
        }
        return ((Ready<T>) entry).value();
    }

    /** What is known about {@code host} so far, without computing anything. */
    Optional<Entry<T>> peek(String host) {
        Slot<T> slot = slots.get(host);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.known());
    }

    /** Every value computed so far. */
    List<T> values() {
        List<T> values = new ArrayList<>();
        for (Slot<T> slot : slots.values()) {
            if (slot.known() instanceof Ready<T> ready) {
                values.add(ready.value());
            }
        }
        return values;
    }

    /** Records that {@code host} failed after all (e.g. building its value further failed): later callers get
     * {@code error}. */
    void fail(String host, DeployException error) {
        slots.computeIfAbsent(host, name -> new Slot<>()).fail(error);
    }

    void clear() {
        slots.clear();
    }

    /** One host's entry; its monitor serializes the callers for that host only. */
    private static final class Slot<T> {
        private volatile Entry<T> entry;

        synchronized Entry<T> get(Supplier<T> compute) {
            if (entry == null) {
                try {
                    entry = new Ready<>(compute.get());
                } catch (DeployException e) {
                    entry = new Failed<>(e);
                }
            }
            return entry;
        }

        synchronized void fail(DeployException error) {
            entry = new Failed<>(error);
        }

        Entry<T> known() {
            return entry;
        }
    }
}
