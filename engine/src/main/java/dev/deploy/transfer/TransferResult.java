package dev.deploy.transfer;

/**
 * What a push moved: store paths added, files and content bytes streamed, and files and bytes the host reused from
 * earlier store paths (copied on the host) instead of receiving them.
 */
public record TransferResult(int storePaths, int files, long contentBytes, int filesReused, long bytesReused) {

    public static final TransferResult NOTHING = new TransferResult(0, 0, 0, 0, 0);

    /** A push that reused nothing. */
    public TransferResult(int storePaths, int files, long contentBytes) {
        this(storePaths, files, contentBytes, 0, 0);
    }
}
