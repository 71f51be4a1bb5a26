package dev.deploy.cli;

import dev.deploy.source.SourceOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --frozen} and {@code --offline}: how plan and apply treat {@code deploy.lock} and the network. */
final class SourceLockOptions {

    @Option(names = "--frozen", order = 20,
            description = "Refuse to run unless deploy.lock pins every git source and agrees with it; never write "
                    + "the lock (for CI). Warns when an SSH host gets a path: source (a working tree, not pinned).")
    boolean frozen;

    @Option(names = "--offline", order = 21,
            description = "No network for sources: pinned commits must be in the cache; upstream is not checked.")
    boolean offline;

    SourceOptions options(Path inventory) {
        return SourceOptions.beside(inventory).withFrozen(frozen).withOffline(offline);
    }
}
