package dev.deploy.plan;

import dev.deploy.secret.SecretKey;
import dev.deploy.store.StorePath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a host has now, gathered in one round trip: its current generation (number, manifest, and the failure mark
 * when the live generation is known to have failed), the generation numbers present, the store paths present,
 * whether systemd runs there, its architecture and free space in the store (bytes, -1 if unknown), the Python
 * interpreters that were asked about (by the path asked for), the activation watchdog's state line ({@code armed
 * TOKEN N P}, ...; empty when none was ever written), who holds the unit file of each service asked about, the
 * secret-naming key and versions present, and the live generation's {@link HostDrift drift} (services stopped,
 * store paths damaged) when it was checked.
 */
public record HostState(Optional<Integer> currentNumber, Optional<GenerationManifest> current,
                        List<Integer> generations, Set<StorePath> store, boolean systemd, String arch,
                        long freeBytes, Map<String, PythonFacts> pythons, Optional<String> currentFailure,
                        Optional<ActivationState> activation, Map<String, UnitHolder> units,
                        SecretFacts secrets, HostDrift drift) {

    /**
     * The host's secret-naming key (empty when the host has none yet, or deploy could not read it), the secret
     * versions present in {@code STATE/secrets}, and whether the key exists but the connecting user cannot read it
     * (not root and no {@code become}): then neither the key nor the versions are known. {@code checkedAccounts}
     * are the owners and groups of file secrets the facts asked the host about ({@code user NAME},
     * {@code group NAME}: {@link SecretAccounts#accounts}) and {@code missingAccounts} those of them it lacks.
     */
    public record SecretFacts(Optional<SecretKey> key, Set<String> versions, boolean keyUnreadable,
                              Set<String> checkedAccounts, Set<String> missingAccounts) {

        public static final SecretFacts NONE = new SecretFacts(Optional.empty(), Set.of());

        public SecretFacts {
            versions = Set.copyOf(versions);
            checkedAccounts = Set.copyOf(checkedAccounts);
            missingAccounts = Set.copyOf(missingAccounts);
        }

        public SecretFacts(Optional<SecretKey> key, Set<String> versions, boolean keyUnreadable) {
            this(key, versions, keyUnreadable, Set.of(), Set.of());
        }

        public SecretFacts(Optional<SecretKey> key, Set<String> versions) {
            this(key, versions, false);
        }
    }

    /** The largest generation number deploy uses; the next one must still be a positive int. */
    public static final int MAX_GENERATION = Integer.MAX_VALUE - 1;

    public HostState {
        drift = drift == null ? HostDrift.NONE : drift;
        secrets = secrets == null ? SecretFacts.NONE : secrets;
        pythons = Map.copyOf(pythons);
        units = Map.copyOf(units);
        generations = List.copyOf(generations);
    }

    /** A state without secret facts and whose drift was not checked. */
    public HostState(Optional<Integer> currentNumber, Optional<GenerationManifest> current, List<Integer> generations,
                     Set<StorePath> store, boolean systemd, String arch, long freeBytes,
                     Map<String, PythonFacts> pythons, Optional<String> currentFailure,
                     Optional<ActivationState> activation, Map<String, UnitHolder> units) {
        this(currentNumber, current, generations, store, systemd, arch, freeBytes, pythons, currentFailure,
                activation, units, SecretFacts.NONE, HostDrift.NONE);
    }

    /** The same state with {@code newDrift}. */
    public HostState withDrift(HostDrift newDrift) {
        return new HostState(currentNumber, current, generations, store, systemd, arch, freeBytes, pythons,
                currentFailure, activation, units, secrets, newDrift);
    }

    /** A state without Python facts, failure mark, watchdog or units (none were asked for). */
    public HostState(Optional<Integer> currentNumber, Optional<GenerationManifest> current, List<Integer> generations,
                     Set<StorePath> store, boolean systemd, String arch, long freeBytes) {
        this(currentNumber, current, generations, store, systemd, arch, freeBytes, Map.of());
    }

    public HostState(Optional<Integer> currentNumber, Optional<GenerationManifest> current, List<Integer> generations,
                     Set<StorePath> store, boolean systemd, String arch, long freeBytes,
                     Map<String, PythonFacts> pythons) {
        this(currentNumber, current, generations, store, systemd, arch, freeBytes, pythons, Optional.empty(),
                Optional.empty(), Map.of());
    }

    /**
     * The last activation the host's watchdog knows of: its state word ({@code armed}: waiting for confirmation,
     * watchdog running; {@code unguarded}: the same without a watchdog; {@code confirmed}; {@code reverted};
     * {@code revert-failed}; {@code aborted}), from generation {@code previous} to {@code number}.
     */
    public record ActivationState(String state, String token, int number, int previous) {

        /** Switched, not confirmed, and a watchdog will revert it: the next deploy settles it first. */
        public boolean pending() {
            return state.equals("armed");
        }
    }

    /** Who holds a service's unit file name on the host. */
    public record UnitHolder(Kind kind, String detail, boolean saved) {

        public enum Kind {
            /** No unit of that name. */
            ABSENT,
            /** deploy's own link into this state directory. */
            OURS,
            /** A file or link someone else made (detail says which), in /etc or a vendor directory. */
            FOREIGN
        }
    }

    /** What the host said about {@code interpreter}, which must have been asked for when gathering. */
    public PythonFacts python(String interpreter) {
        PythonFacts facts = pythons.get(interpreter);
        if (facts == null) {
            throw new IllegalStateException("python interpreter " + interpreter + " was not probed");
        }
        return facts;
    }

    /** One more than the newest generation (facts refuse numbers above {@link #MAX_GENERATION}). */
    public int nextGenerationNumber() {
        return generations.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }
}
