package dev.deploy.activation;

import dev.deploy.plan.GenerationManifest;
import java.util.Optional;

/**
 * A generation present on a host, whether it is current, its manifest (null if unreadable), and why it failed when
 * it is marked failed ({@code generations/N/failed}: the time, then the reason), which {@code rollback} honours.
 */
public record GenerationInfo(int number, boolean current, GenerationManifest manifest, Optional<String> failure) {

    public GenerationInfo(int number, boolean current, GenerationManifest manifest) {
        this(number, current, manifest, Optional.empty());
    }

    public boolean failed() {
        return failure.isPresent();
    }
}
