package dev.deploy.inventory;

import java.nio.file.Path;
import java.util.Optional;

/** How the controller reaches a host: this machine under a root directory, or SSH. */
public sealed interface HostTarget permits HostTarget.Local, HostTarget.Ssh {

    /** Absolute directory on the host that holds the store, generations and the {@code current} link. */
    String stateDir();

    /** This machine; everything lives under {@code root}, which is also the state directory. */
    record Local(Path root) implements HostTarget {
        @Override
        public String stateDir() {
            return root.toAbsolutePath().normalize().toString();
        }
    }

    /** A host reached over SSH, optionally through a jump host (like OpenSSH's ProxyJump). */
    record Ssh(String address, int port, String user, Optional<Path> identity, Optional<Path> knownHosts,
               Optional<Ssh> jump, String stateDir) implements HostTarget {
    }
}
