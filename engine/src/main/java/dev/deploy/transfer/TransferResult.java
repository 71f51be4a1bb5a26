package dev.deploy.transfer;

/** What a push moved: store paths added, files and content bytes streamed. */
public record TransferResult(int storePaths, int files, long contentBytes) {

    public static final TransferResult NOTHING = new TransferResult(0, 0, 0);
}
