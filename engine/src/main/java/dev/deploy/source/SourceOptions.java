package dev.deploy.source;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * How a run treats git pins and the network:
 * <ul>
 *   <li>{@code lockFile}: the {@link SourceLock} to read and extend (empty: none, every ref is resolved afresh);</li>
 *   <li>{@code frozen}: the lock must pin every git source (a {@code rev=} source pins itself) and agree with it;
 *       nothing is written (for CI);</li>
 *   <li>{@code offline}: no network: pinned commits must be in the cache, upstream is not checked;</li>
 *   <li>{@code update}: which pins to move to what their refs point to now (empty: none; a set of lock keys or
 *       references as written; {@link #ALL}: every one);</li>
 *   <li>{@code controller}: what the controller writes itself, left out of {@code path:} sources.</li>
 * </ul>
 */
public record SourceOptions(Optional<Path> lockFile, boolean frozen, boolean offline, Optional<Set<String>> update,
                            ControllerPaths controller) {

    /** In {@link #update}: move every pin. */
    public static final Set<String> ALL = Set.of("*");

    /** The lock file beside {@code inventory}, read and extended; online; nothing updated. */
    public static SourceOptions beside(Path inventory) {
        return new SourceOptions(Optional.of(lockFileFor(inventory)), false, false, Optional.empty(),
                ControllerPaths.none());
    }

    /** No lock file (refs resolved afresh each run): for tests and library use. */
    public static SourceOptions unlocked() {
        return new SourceOptions(Optional.empty(), false, false, Optional.empty(), ControllerPaths.none());
    }

    /** {@code deploy.lock} in the inventory's directory. */
    public static Path lockFileFor(Path inventory) {
        Path parent = inventory.toAbsolutePath().getParent();
        return parent.resolve(SourceLock.FILE_NAME);
    }

    public SourceOptions withController(ControllerPaths paths) {
        return new SourceOptions(lockFile, frozen, offline, update, paths);
    }

    public SourceOptions withFrozen(boolean value) {
        return new SourceOptions(lockFile, value, offline, update, controller);
    }

    public SourceOptions withOffline(boolean value) {
        return new SourceOptions(lockFile, frozen, value, update, controller);
    }

    public SourceOptions withUpdate(Optional<Set<String>> value) {
        return new SourceOptions(lockFile, frozen, offline, value, controller);
    }
}
