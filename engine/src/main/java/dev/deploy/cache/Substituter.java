package dev.deploy.cache;

import dev.deploy.host.HostConnection;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.Artifact;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import dev.deploy.transfer.ArtifactPusher;
import dev.deploy.transfer.BaseFetcher;
import dev.deploy.transfer.DeltaBases;
import dev.deploy.transfer.TransferProgress;
import dev.deploy.transfer.TransferResult;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step between plan and push (the seam of the binary cache): given the store paths a host lacks and the delta
 * bases it has, make the host fetch what a cache can give it and say what must still be pushed over SSH.
 * {@link #transfer} is the whole transfer step of an apply (bases, substitution, push of the rest); {@link #NONE}
 * substitutes nothing, which is the plain SSH push. Called with the host's lock held.
 */
public interface Substituter {

    /** No cache: every missing store path is pushed, by exactly the push's own transfer step. */
    Substituter NONE = new Substituter() {
        @Override
        public Substitution substitute(HostConnection connection, HostLayout layout, List<Artifact> missing,
                                       Map<StorePath, BaseFetcher.Base> bases) {
            return Substitution.none(missing);
        }

        @Override
        public TransferResult transfer(HostConnection connection, HostLayout layout, HostPlan plan,
                                       TransferProgress progress) {
            return ArtifactPusher.push(connection, layout, plan, progress);
        }
    };

    /**
     * Makes the host get what it can of {@code missing} from elsewhere than this controller; the host verifies,
     * seals and renames those store paths exactly as a push does.
     *
     * @param bases delta bases by target store path (files the host already has are linked from them, not fetched)
     */
    Substitution substitute(HostConnection connection, HostLayout layout, List<Artifact> missing,
                            Map<StorePath, BaseFetcher.Base> bases);

    /**
     * The transfer step of an apply: fetch the delta bases' meta lists (one round trip, only when some missing path
     * has a candidate), substitute, then push what remains as deltas against the same bases.
     */
    default TransferResult transfer(HostConnection connection, HostLayout layout, HostPlan plan,
                                    TransferProgress progress) {
        if (plan.toAdd().isEmpty()) {
            return TransferResult.NOTHING;
        }
        Map<StorePath, BaseFetcher.Base> bases = BaseFetcher.fetch(connection, layout, DeltaBases.requests(plan));
        return transfer(connection, layout, plan, bases, progress);
    }

    /**
     * The transfer step with the delta bases already read (apply reads them with the plan's diff, in the same round
     * trip: {@code transfer.PreviousFetcher}): substitute, then push what remains as deltas against them.
     */
    default TransferResult transfer(HostConnection connection, HostLayout layout, HostPlan plan,
                                    Map<StorePath, BaseFetcher.Base> bases, TransferProgress progress) {
        if (plan.toAdd().isEmpty()) {
            return TransferResult.NOTHING;
        }
        // a path being repaired replaces a damaged copy: only the push swaps it in, so it is never substituted
        Set<StorePath> repairs = ArtifactPusher.repairs(plan);
        Substitution substitution = substitute(connection, layout,
                plan.toAdd().stream().filter(a -> !repairs.contains(a.storePath())).toList(), bases);
        List<Artifact> remaining = new java.util.ArrayList<>(substitution.remaining());
        plan.toAdd().stream().filter(a -> repairs.contains(a.storePath())).forEach(remaining::add);
        return substitution.plus(ArtifactPusher.push(connection, layout, remaining, bases, repairs, progress));
    }
}
