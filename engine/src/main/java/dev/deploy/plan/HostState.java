package dev.deploy.plan;

import dev.deploy.store.StorePath;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a host has now, gathered in one round trip: its current generation, the generation numbers present, the
 * store paths present, whether systemd runs there, its architecture and free space in the store (bytes, -1 if
 * unknown).
 */
public record HostState(Optional<Integer> currentNumber, Optional<GenerationManifest> current,
                        List<Integer> generations, Set<StorePath> store, boolean systemd, String arch,
                        long freeBytes) {

    public int nextGenerationNumber() {
        return generations.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }
}
