package dev.deploy.cache;

import dev.deploy.store.Artifact;
import dev.deploy.transfer.TransferResult;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Substituter} did on one host: the store paths that still must be pushed over SSH, what crossed the
 * SSH connection for the ones it substituted (lists, symlinks; files linked from earlier versions counted as reused),
 * and how the host used the cache (empty: no cache in play).
 */
public record Substitution(List<Artifact> remaining, TransferResult substituted, Optional<CacheOutcome> outcome) {

    public Substitution {
        remaining = List.copyOf(remaining);
    }

    /** No cache: push all of {@code missing}. */
    public static Substitution none(List<Artifact> missing) {
        return new Substitution(missing, TransferResult.NOTHING, Optional.empty());
    }

    /** The cache could not serve this host: push all of {@code missing}, and say why. */
    public static Substitution fellBack(List<Artifact> missing, CacheOutcome.Reason reason, String detail) {
        return new Substitution(missing, TransferResult.NOTHING,
                Optional.of(new CacheOutcome.FellBack(reason, detail)));
    }

    /** This substitution's transfer plus the push of what remained. */
    public TransferResult plus(TransferResult pushed) {
        return new TransferResult(substituted.storePaths() + pushed.storePaths(),
                substituted.files() + pushed.files(), substituted.contentBytes() + pushed.contentBytes(),
                substituted.filesReused() + pushed.filesReused(), substituted.bytesReused() + pushed.bytesReused());
    }
}
