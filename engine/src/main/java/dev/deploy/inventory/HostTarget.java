package dev.deploy.inventory;

import dev.deploy.host.become.Become;
import dev.deploy.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** How the controller reaches a host: this machine under a root directory, or SSH. */
public sealed interface HostTarget permits HostTarget.Local, HostTarget.Ssh {

    /** Absolute directory on the host that holds the store, generations and the {@code current} link. */
    String stateDir();

    /** How scripts are run as root on the host when the login user is not root ({@code become}). */
    Optional<Become> become();

    /**
     * Whether deploy starts, checks and rolls back services on this host when it runs systemd: always over SSH; on
     * this machine only when the inventory says {@code local: {services: systemd}}.
     */
    boolean managesServices();

    /**
     * This machine; everything lives under {@code root}, which is also the state directory. With
     * {@code systemd} the machine is a real host: units are linked into {@code /etc/systemd/system} and services are
     * started, health-checked and rolled back, which needs root or {@code become}. Without it (the default) services
     * are only recorded in the generation.
     */
    record Local(Path root, boolean systemd, Optional<Become> become) implements HostTarget {
        public Local(Path root) {
            this(root, false, Optional.empty());
        }

        @Override
        public String stateDir() {
            return root.toAbsolutePath().normalize().toString();
        }

        @Override
        public boolean managesServices() {
            return systemd;
        }
    }

    /**
     * A host reached over SSH, optionally through a jump host (like OpenSSH's ProxyJump). {@code port} and
     * {@code user} are the inventory's values or deploy's defaults (22, root); {@link SshOptions#explicit()} says
     * which were written in the inventory, so that ssh_config may supply the others.
     */
    record Ssh(String address, int port, String user, Optional<Path> identity, Optional<Path> knownHosts,
               Optional<Ssh> jump, String stateDir, SshOptions options, Optional<Become> become)
            implements HostTarget {

        public Ssh(String address, int port, String user, Optional<Path> identity, Optional<Path> knownHosts,
                   Optional<Ssh> jump, String stateDir) {
            this(address, port, user, identity, knownHosts, jump, stateDir, SshOptions.none(address),
                    Optional.empty());
        }

        @Override
        public boolean managesServices() {
            return true;
        }
    }

    /**
     * The rest of a host's SSH settings from the inventory.
     *
     * @param name                the inventory name of this host or jump host, used in messages ("jump host bastion")
     * @param location            where the host (or the inline jump) was written
     * @param fieldLocations      where each SSH field's value was written (the host, a group or {@code defaults})
     * @param explicit            which of {@code port}, {@code user} the inventory set (the others may come from
     *                            ssh_config)
     * @param sshConfig           an ssh_config file read instead of {@code ~/.ssh/config} ({@code ssh -F})
     * @param connectTimeout      {@code connectTimeout}: limit for each connection step
     * @param serverAliveInterval {@code serverAliveInterval}: keep-alive period
     * @param serverAliveCountMax {@code serverAliveCountMax}: unanswered periods before the host counts as gone
     */
    record SshOptions(String name, Location location, Set<String> explicit, Optional<Path> sshConfig,
                      Optional<Duration> connectTimeout, Optional<Duration> serverAliveInterval,
                      Optional<Integer> serverAliveCountMax, java.util.Map<String, Location> fieldLocations) {

        public SshOptions {
            explicit = Set.copyOf(explicit);
            fieldLocations = fieldLocations == null ? java.util.Map.of() : java.util.Map.copyOf(fieldLocations);
        }

        public SshOptions(String name, Location location, Set<String> explicit, Optional<Path> sshConfig,
                          Optional<Duration> connectTimeout, Optional<Duration> serverAliveInterval,
                          Optional<Integer> serverAliveCountMax) {
            this(name, location, explicit, sshConfig, connectTimeout, serverAliveInterval, serverAliveCountMax,
                    java.util.Map.of());
        }

        /** Where the value of {@code field} (port, user, identity, ...) was written: host, group or defaults. */
        public Location locationOf(String field) {
            return fieldLocations.getOrDefault(field, location);
        }

        static SshOptions none(String name) {
            return new SshOptions(name, null, Set.of("port", "user"), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
    }
}
