package dev.deploy.host.ssh;

import dev.deploy.host.Shell;

import java.nio.file.Path;

/** Why a host key was not trusted, worded for the one-line message the user sees. */
sealed interface HostKeyRejection {

    /** The message detail, without the {@code host: step:} prefix. */
    String detail();

    /** No known_hosts line names the host. */
    record Unknown(String knownHostsName, String offeredFingerprint) implements HostKeyRejection {
        @Override
        public String detail() {
            return "host key for " + knownHostsName + " is not known; check its fingerprint " + offeredFingerprint
                    + " and re-run with --accept-new-host-keys to record it";
        }
    }

    /** A known_hosts line names the host with another key: possibly an attack, so never accepted automatically. */
    record Changed(String knownHostsName, Path file, boolean defaultFile, int line, String knownType,
                   String knownFingerprint, String offeredType, String offeredFingerprint) implements HostKeyRejection {
        @Override
        public String detail() {
            boolean sameType = knownType.equals(offeredType);
            String known = sameType ? knownFingerprint : knownType + " " + knownFingerprint;
            String offered = sameType ? offeredFingerprint : offeredType + " " + offeredFingerprint;
            String fileOption = defaultFile ? "" : " -f " + Shell.quote(file.toString());
            return "host key for " + knownHostsName + " CHANGED (" + file + " line " + line + " says " + known
                    + ", host offered " + offered + "); if this is expected remove the old entry with ssh-keygen -R "
                    + Shell.quote(knownHostsName) + fileOption;
        }
    }

    /** The offered key is marked {@code @revoked}. */
    record Revoked(String knownHostsName, Path file, int line, String offeredFingerprint) implements HostKeyRejection {
        @Override
        public String detail() {
            return "host key " + offeredFingerprint + " of " + knownHostsName + " is marked @revoked in " + file
                    + " line " + line;
        }
    }

    /** The known_hosts file could not be read, or a new key could not be recorded in it. */
    record FileProblem(Path file, String problem) implements HostKeyRejection {
        @Override
        public String detail() {
            return problem + " " + file;
        }
    }
}
