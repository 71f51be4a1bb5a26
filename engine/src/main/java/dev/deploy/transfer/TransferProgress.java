package dev.deploy.transfer;

/** Receives progress while artifacts stream to a host: bytes and files sent so far out of the totals. */
@FunctionalInterface
public interface TransferProgress {

    TransferProgress NONE = (host, bytes, totalBytes, files, totalFiles) -> { };

    void update(String host, long bytesSent, long totalBytes, int filesSent, int totalFiles);
}
