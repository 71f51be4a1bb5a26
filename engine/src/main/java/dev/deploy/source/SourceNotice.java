package dev.deploy.source;

import dev.deploy.Location;

/**
 * Something the user should know about the sources of a run that is not an error: the engine emits these, front
 * ends render them ({@code deploy: warning: ...}, or objects in {@code --json}). A closed set.
 */
public sealed interface SourceNotice {

    /** Where the source was declared, when known. */
    Location declaredAt();

    /** The reference as written. */
    String source();

    /** Whether the user should act on it (rendered as a warning) rather than only be told (a note). */
    default boolean isWarning() {
        return true;
    }

    /** An {@code exclude} pattern of a {@code path:} source that matched no entry of the tree. */
    record UnmatchedExclude(Location declaredAt, String source, String pattern) implements SourceNotice {
    }

    /**
     * A directory or file the controller itself writes (a local host's state directory, the cache, the lock file)
     * lies inside a {@code path:} source and was left out of it; otherwise each run would copy the previous one.
     */
    record ControllerPathExcluded(Location declaredAt, String source, String path, String what)
            implements SourceNotice {
    }

    /** A git source that was not in {@code deploy.lock} was resolved and its pin added. */
    record PinAdded(Location declaredAt, String source, String resolvedRef, String commit) implements SourceNotice {
        @Override
        public boolean isWarning() {
            return false;
        }
    }

    /** The upstream ref of a pinned source now points elsewhere; the pinned commit is still what is deployed. */
    record UpstreamMoved(Location declaredAt, String source, String resolvedRef, String pinned, String upstream)
            implements SourceNotice {
    }

    /** The upstream ref of a pinned source no longer exists; the pinned commit is still what is deployed. */
    record UpstreamRefGone(Location declaredAt, String source, String resolvedRef, String pinned)
            implements SourceNotice {
    }

    /** Whether upstream moved could not be checked (e.g. the repository was unreachable). */
    record UpstreamUnchecked(Location declaredAt, String source, String reason) implements SourceNotice {
    }

    /** The lock's tree hash for a pin differs from what its commit gives now; the lock was corrected. */
    record TreeHashCorrected(Location declaredAt, String source, String commit, String locked, String now)
            implements SourceNotice {
    }
}
