package dev.deploy.it.bench;

import dev.deploy.it.hosts.DebianTestHost;
import java.util.List;

/**
 * A Debian test host as the benchmark uses it: its inventory name, and the system {@code ssh} command line that
 * reaches it through the bridge on 127.0.0.1 with the run's key and the host's own known_hosts file.
 */
record BenchHost(String name, DebianTestHost host) {

    /** Where deploy keeps its state on the host (the inventory default). */
    static final String DEPLOY_STATE = "/var/lib/deploy";

    /** {@code ssh} options only (no destination), as rsync's {@code -e} wants them. */
    List<String> sshCommand() {
        return List.of("ssh", "-F", "/dev/null", "-i", host.privateKey().toString(), "-p", String.valueOf(host.sshPort()),
                "-o", "UserKnownHostsFile=" + host.knownHostsFile(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR");
    }

    String destination() {
        return "root@" + host.sshHost();
    }

    /** Removes {@code path} on the host (through docker exec, outside any measurement). */
    void wipe(String path) {
        host.exec("rm", "-rf", path).requireSuccess("rm -rf " + path + " on " + name);
    }
}
