package dev.deploy.source;

/**
 * What a git source's ref or rev resolved to: the commit, what kind of name matched (as {@code git rev-parse} would
 * resolve it) and the full name that matched ({@code refs/tags/v1.0}, {@code refs/heads/main}, {@code HEAD}, or
 * the commit id itself).
 */
public record GitResolution(String commit, Kind kind, String refName) {

    /** What matched. */
    public enum Kind {
        /** A full commit id (wins over a ref of the same name, as in {@code git rev-parse}). */
        COMMIT,
        /** A tag, peeled to its commit. */
        TAG,
        /** A branch. */
        BRANCH,
        /** A remote-tracking branch of a local repository ({@code refs/remotes/origin/NAME}). */
        REMOTE_BRANCH,
        /** No ref given: the repository's default branch ({@code HEAD}). */
        DEFAULT_BRANCH,
        /** An abbreviated commit id. */
        ABBREVIATED_COMMIT
    }

    /** For plans: {@code tag v1.0}, {@code branch main}, {@code commit 1a2b3c4}, {@code default branch}. */
    public String describe() {
        return switch (kind) {
            case COMMIT, ABBREVIATED_COMMIT -> "commit";
            case TAG -> "tag " + refName.substring("refs/tags/".length());
            case BRANCH -> "branch " + refName.substring("refs/heads/".length());
            case REMOTE_BRANCH -> "remote-tracking branch " + refName.substring("refs/remotes/".length());
            case DEFAULT_BRANCH -> "default branch (HEAD)";
        };
    }
}
