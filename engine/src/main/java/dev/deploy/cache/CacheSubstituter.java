package dev.deploy.cache;

import dev.deploy.DeployException;
import dev.deploy.host.CommandResult;
import dev.deploy.host.HostConnection;
import dev.deploy.host.HostScript;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import dev.deploy.transfer.ArtifactPusher;
import dev.deploy.transfer.BaseFetcher;
import dev.deploy.transfer.PathDelta;
import dev.deploy.transfer.TransferResult;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Substitutes from the binary cache on one host, in one round trip: makes sure the paths are in the cache
 * ({@link CacheUploader}, shared by every host of the run), presigns a URL per object the host lacks (files of
 * earlier versions already on the host are linked, not fetched) and runs {@code substitute.sh}, which fetches,
 * verifies and installs the paths the way the push does. When the host cannot use the cache (no tools, no route to
 * the object store, objects missing or corrupt) nothing has its final name yet, and the paths are pushed instead:
 * the {@link Substitution} says so. Objects a host found missing or corrupt are put into the cache again.
 */
final class CacheSubstituter implements Substituter {

    /** Seconds a host's download may make no progress (curl --speed-time, python3 socket timeout). */
    static final int STALL_SECONDS = 60;

    private final BinaryCache cache;
    private final int stallSeconds;

    CacheSubstituter(BinaryCache cache) {
        this(cache, STALL_SECONDS);
    }

    /** With another stall limit than {@link #STALL_SECONDS} (tests: a stalled download ends in seconds). */
    CacheSubstituter(BinaryCache cache, int stallSeconds) {
        this.cache = cache;
        this.stallSeconds = stallSeconds;
    }

    @Override
    public Substitution substitute(HostConnection connection, HostLayout layout, List<Artifact> missing,
                                   Map<StorePath, BaseFetcher.Base> bases) {
        if (missing.isEmpty()) {
            return Substitution.none(missing);
        }
        Substitution substitution = run(connection, layout, missing, bases);
        substitution.outcome().ifPresent(outcome -> cache.record(connection.hostName(), outcome));
        return substitution;
    }

    private Substitution run(HostConnection connection, HostLayout layout, List<Artifact> missing,
                             Map<StorePath, BaseFetcher.Base> bases) {
        FetchPlan plan = FetchPlan.of(missing.stream()
                .map(a -> PathDelta.of(a, Optional.ofNullable(bases.get(a.storePath())))).toList());
        if (plan.objects().isEmpty()) {
            return new Substitution(missing, TransferResult.NOTHING,
                    Optional.of(new CacheOutcome.NothingToFetch(missing.size(), plan.filesLinked())));
        }
        Map<String, URI> urls = new LinkedHashMap<>();
        URI probe;
        try {
            cache.uploader().ensure(missing);
            for (String sha : plan.objects().keySet()) {
                urls.put(sha, cache.presign(cache.keys().object(sha)));
            }
            probe = cache.presign(cache.keys().manifest(missing.get(0).storePath()));
        } catch (CacheUploader.UploadFailed | ObjectStoreException e) {
            return Substitution.fellBack(missing, CacheOutcome.Reason.UPLOAD_FAILED, e.getMessage());
        }
        HostScript script = script(layout)
                .with("jobs", CacheSettings.HOST_FETCHES_IN_PARALLEL)
                .with("stall", stallSeconds)
                .with("deadline", CacheSettings.HOST_FETCH_DEADLINE.toSeconds());
        CommandResult result;
        try {
            result = connection.run(script.text(), out -> SubstituteStream.write(out, plan, urls, probe));
        } catch (IOException e) {
            throw DeployException.host(connection.hostName(), "substitute", e.getMessage(), e);
        }
        if (result.ok()) {
            return substituted(missing, plan, result.stdoutText());
        }
        SubstituteExit exit = SubstituteExit.of(result.exitCode());
        if (exit == SubstituteExit.BASE_GONE && !bases.isEmpty()) {
            return run(connection, layout, missing, Map.of()); // fetch everything, as the push sends everything
        }
        if (exit == SubstituteExit.NO_TOOLS) {
            return Substitution.fellBack(missing, CacheOutcome.Reason.NO_TOOLS, result.lastErrorLine());
        }
        if (exit == SubstituteExit.UNREACHABLE) {
            return Substitution.fellBack(missing, CacheOutcome.Reason.UNREACHABLE, result.lastErrorLine());
        }
        if (exit == SubstituteExit.FETCH_FAILED || exit == SubstituteExit.BAD_OBJECTS) {
            Set<String> bad = marked(result.stdoutText(), exit == SubstituteExit.FETCH_FAILED ? "@@missing " : "@@corrupt ");
            int notReplaced = 0;
            for (Artifact artifact : missing) {
                notReplaced += cache.uploader().repair(artifact, bad);
            }
            String detail = bad.size() + " object(s) " + (exit == SubstituteExit.FETCH_FAILED
                    ? "could not be fetched" : "did not match their SHA-256") + ", first " + bad.stream().findFirst()
                    .orElse("?") + " (" + result.lastErrorLine() + "); " + (notReplaced == 0
                    ? "uploaded again" : notReplaced + " could not be uploaded again");
            return Substitution.fellBack(missing, exit == SubstituteExit.FETCH_FAILED
                    ? CacheOutcome.Reason.OBJECTS_MISSING : CacheOutcome.Reason.OBJECTS_CORRUPT, detail);
        }
        throw DeployException.host(connection.hostName(), "substitute", result.lastErrorLine());
    }

    /**
     * The host program: the push's receiving and installing halves ({@link ArtifactPusher#receiver}) with
     * {@code substitute.sh} between them, so a substituted path is verified, sealed and kept exactly as a pushed one.
     */
    static HostScript script(HostLayout layout) {
        return ArtifactPusher.receiver(layout, Optional.of(HostScript.load(CacheSubstituter.class, "substitute")));
    }

    private static Substitution substituted(List<Artifact> missing, FetchPlan plan, String stdout) {
        int objects = plan.objects().size();
        long compressed = 0;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("@@fetched ")) {
                String[] words = line.split(" ");
                try {
                    objects = Integer.parseInt(words[1]);
                    compressed = Long.parseLong(words[2]);
                } catch (RuntimeException e) {
                    // a garbled count only costs the report
                }
            }
        }
        TransferResult overSsh = new TransferResult(missing.size(), 0, 0, plan.filesLinked(), plan.bytesLinked());
        return new Substitution(List.of(), overSsh, Optional.of(new CacheOutcome.Substituted(missing.size(), objects,
                compressed, plan.contentBytes(), plan.filesLinked())));
    }

    private static Set<String> marked(String stdout, String mark) {
        Set<String> hashes = new LinkedHashSet<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith(mark) && line.length() == mark.length() + 64) {
                hashes.add(line.substring(mark.length()));
            }
        }
        return hashes;
    }
}
