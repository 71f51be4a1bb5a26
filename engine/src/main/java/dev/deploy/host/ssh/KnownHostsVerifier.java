package dev.deploy.host.ssh;

import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks host keys against an OpenSSH known_hosts file, as {@code ssh} does with {@code StrictHostKeyChecking yes}
 * (or {@code accept-new} when new keys are accepted). A changed key is always refused. The reason for a refusal is
 * kept so that the caller can report it instead of sshj's generic transport error.
 */
final class KnownHostsVerifier implements HostKeyVerifier {

    private final KnownHostsFile file;
    private final boolean defaultFile;
    private final boolean acceptNew;
    private volatile HostKeyRejection rejection;

    KnownHostsVerifier(Path knownHostsFile, boolean acceptNew) {
        this.file = new KnownHostsFile(knownHostsFile);
        this.defaultFile = knownHostsFile.toAbsolutePath().normalize()
                .equals(SshSettings.defaultKnownHostsFile().toAbsolutePath().normalize());
        this.acceptNew = acceptNew;
    }

    /** Why the last key offered was refused, if it was. */
    Optional<HostKeyRejection> rejection() {
        return Optional.ofNullable(rejection);
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        rejection = check(hostname, port, key).orElse(null);
        return rejection == null;
    }

    private Optional<HostKeyRejection> check(String hostname, int port, PublicKey key) {
        String name = HostKeys.knownHostsName(hostname, port);
        KeyType type = KeyType.fromKey(key);
        String fingerprint = HostKeys.fingerprint(key);
        List<KnownHostsFile.Line> lines;
        try {
            lines = file.read();
        } catch (IOException e) {
            return Optional.of(new HostKeyRejection.FileProblem(file.path(), "cannot read known_hosts file"));
        }
        List<KnownHostsFile.Line> naming = new ArrayList<>();
        for (KnownHostsFile.Line line : lines) {
            if (appliesTo(line, name)) {
                naming.add(line);
            }
        }
        for (KnownHostsFile.Line line : naming) {
            if (line.revoked() && fingerprint.equals(line.fingerprint())) {
                return Optional.of(new HostKeyRejection.Revoked(name, file.path(), line.number(), fingerprint));
            }
        }
        for (KnownHostsFile.Line line : naming) {
            if (!line.revoked() && appliesTo(line, type, name) && trusts(line, key)) {
                return Optional.empty();
            }
        }
        Optional<KnownHostsFile.Line> conflicting = naming.stream()
                .filter(line -> !line.revoked() && !line.certificateAuthority())
                .min((a, b) -> Boolean.compare(a.entry().getType() != type, b.entry().getType() != type));
        if (conflicting.isPresent()) {
            KnownHostsFile.Line line = conflicting.get();
            return Optional.of(new HostKeyRejection.Changed(name, file.path(), defaultFile, line.number(),
                    line.typeName(), line.fingerprint(), type.toString(), fingerprint));
        }
        if (!acceptNew) {
            return Optional.of(new HostKeyRejection.Unknown(name, fingerprint));
        }
        try {
            file.append(HostKeys.knownHostsLine(name, key));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new HostKeyRejection.FileProblem(file.path(),
                    "cannot record the new host key " + fingerprint + " of " + name + " in"));
        }
    }

    /** Key types already known for the host, so that the server is asked for one of those first. */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        String name = HostKeys.knownHostsName(hostname, port);
        List<String> types = new ArrayList<>();
        try {
            for (KnownHostsFile.Line line : file.read()) {
                if (!line.revoked() && !line.certificateAuthority() && appliesTo(line, name)) {
                    types.add(line.typeName());
                }
            }
        } catch (IOException e) {
            // verify() reports the unreadable file.
        }
        return types;
    }

    private static boolean appliesTo(KnownHostsFile.Line line, String name) {
        try {
            return line.entry().appliesTo(name);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean appliesTo(KnownHostsFile.Line line, KeyType type, String name) {
        try {
            return line.entry().appliesTo(type, name);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean trusts(KnownHostsFile.Line line, PublicKey key) {
        try {
            return line.entry().verify(key);
        } catch (IOException e) {
            return false;
        }
    }
}
