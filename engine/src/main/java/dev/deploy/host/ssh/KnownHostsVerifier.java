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
    private final List<KnownHostsFile> alsoTrusted;
    private final boolean defaultFile;
    private final boolean acceptNew;
    private volatile HostKeyRejection rejection;

    private final Optional<String> alias;

    KnownHostsVerifier(Path knownHostsFile, boolean acceptNew) {
        this(knownHostsFile, List.of(), Optional.empty(), acceptNew);
    }

    /**
     * {@code alsoTrusted}: further known_hosts files read after {@code knownHostsFile} and never written, as ssh reads
     * the rest of {@code UserKnownHostsFile} and {@code GlobalKnownHostsFile}; files that do not exist are skipped.
     * {@code alias}: ssh_config's {@code HostKeyAlias}, the name keys are looked up and recorded under instead of the
     * address and port (as ssh, without a port).
     */
    KnownHostsVerifier(Path knownHostsFile, List<Path> alsoTrusted, Optional<String> alias, boolean acceptNew) {
        this.alias = alias;
        this.file = new KnownHostsFile(knownHostsFile);
        this.alsoTrusted = alsoTrusted.stream()
                .filter(path -> !path.toAbsolutePath().normalize().equals(knownHostsFile.toAbsolutePath().normalize()))
                .map(KnownHostsFile::new).toList();
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
        String name = alias.orElseGet(() -> HostKeys.knownHostsName(hostname, port));
        KeyType type = KeyType.fromKey(key);
        String fingerprint = HostKeys.fingerprint(key);
        List<Named> naming = new ArrayList<>();
        List<KnownHostsFile> files = new ArrayList<>();
        files.add(file);
        files.addAll(alsoTrusted);
        for (KnownHostsFile known : files) {
            List<KnownHostsFile.Line> lines;
            try {
                lines = known.read();
            } catch (IOException e) {
                if (known != file) {
                    continue; // as ssh, which skips a further file it cannot open
                }
                return Optional.of(new HostKeyRejection.FileProblem(known.path(), "cannot read known_hosts file"));
            }
            for (KnownHostsFile.Line line : lines) {
                if (appliesTo(line, name)) {
                    naming.add(new Named(known, line));
                }
            }
        }
        for (Named named : naming) {
            if (named.line().revoked() && fingerprint.equals(named.line().fingerprint())) {
                return Optional.of(new HostKeyRejection.Revoked(name, named.file().path(), named.line().number(),
                        fingerprint));
            }
        }
        for (Named named : naming) {
            KnownHostsFile.Line line = named.line();
            if (!line.revoked() && appliesTo(line, type, name) && trusts(line, key)) {
                return Optional.empty();
            }
        }
        Optional<Named> conflicting = naming.stream()
                .filter(named -> !named.line().revoked() && !named.line().certificateAuthority())
                .min((a, b) -> Boolean.compare(a.line().entry().getType() != type,
                        b.line().entry().getType() != type));
        if (conflicting.isPresent()) {
            KnownHostsFile.Line line = conflicting.get().line();
            return Optional.of(new HostKeyRejection.Changed(name, conflicting.get().file().path(),
                    defaultFile && conflicting.get().file() == file, line.number(), line.typeName(),
                    line.fingerprint(), type.toString(), fingerprint));
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

    /** A line naming the host, and the file it is in. */
    private record Named(KnownHostsFile file, KnownHostsFile.Line line) {
    }

    /** Key types already known for the host, so that the server is asked for one of those first. */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        String name = alias.orElseGet(() -> HostKeys.knownHostsName(hostname, port));
        List<String> types = new ArrayList<>();
        List<KnownHostsFile> files = new ArrayList<>();
        files.add(file);
        files.addAll(alsoTrusted);
        for (KnownHostsFile known : files) {
            try {
                for (KnownHostsFile.Line line : known.read()) {
                    if (!line.revoked() && !line.certificateAuthority() && appliesTo(line, name)
                            && !types.contains(line.typeName())) {
                        types.add(line.typeName());
                    }
                }
            } catch (IOException e) {
                // verify() reports an unreadable file; a missing one of alsoTrusted is skipped.
            }
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
