package dev.deploy.transfer;

/**
 * Receives progress while artifacts stream to a host: content bytes and files sent so far out of the totals that
 * cross the wire (files the host reuses from an earlier store path are not counted).
 */
@FunctionalInterface
public interface TransferProgress {

    TransferProgress NONE = (host, bytes, totalBytes, files, totalFiles) -> { };

    void update(String host, long bytesSent, long totalBytes, int filesSent, int totalFiles);
}
