package dev.deploy.plan;

import dev.deploy.store.StorePath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a host has now, gathered in one round trip: its current generation, the generation numbers present, the
 * store paths present, whether systemd runs there, its architecture and free space in the store (bytes, -1 if
 * unknown), and the Python interpreters that were asked about, by the path asked for.
 */
public record HostState(Optional<Integer> currentNumber, Optional<GenerationManifest> current,
                        List<Integer> generations, Set<StorePath> store, boolean systemd, String arch,
                        long freeBytes, Map<String, PythonFacts> pythons) {

    public HostState {
        pythons = Map.copyOf(pythons);
    }

    /** A state without Python facts (none were asked for). */
    public HostState(Optional<Integer> currentNumber, Optional<GenerationManifest> current, List<Integer> generations,
                     Set<StorePath> store, boolean systemd, String arch, long freeBytes) {
        this(currentNumber, current, generations, store, systemd, arch, freeBytes, Map.of());
    }

    /** What the host said about {@code interpreter}, which must have been asked for when gathering. */
    public PythonFacts python(String interpreter) {
        PythonFacts facts = pythons.get(interpreter);
        if (facts == null) {
            throw new IllegalStateException("python interpreter " + interpreter + " was not probed");
        }
        return facts;
    }

    public int nextGenerationNumber() {
        return generations.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }
}
