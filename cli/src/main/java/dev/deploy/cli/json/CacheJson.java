package dev.deploy.cli.json;

/** The binary cache's parts of the {@code --json} documents (README "Scaling out: a binary cache"). */
public final class CacheJson {

    private CacheJson() {
    }

    /**
     * What the run put into the cache: store paths (manifests) uploaded and found there, objects uploaded and found
     * there, compressed bytes uploaded and the content bytes they hold.
     */
    public record Upload(int storePathsUploaded, int storePathsPresent, int objectsUploaded, int objectsPresent,
                         long bytesUploaded, long contentBytesUploaded) {
    }

    /**
     * How a host got its store paths: {@code result} is {@code substituted} (objects fetched, their compressed and
     * content bytes, files linked from earlier versions), {@code nothing-to-fetch} or {@code fell-back} (with
     * {@code reason}: {@code off}, {@code upload-failed}, {@code no-tools}, {@code unreachable},
     * {@code objects-missing}, {@code objects-corrupt}, and {@code detail}). Fields that do not apply are null.
     */
    public record Host(String result, Integer storePaths, Integer objectsFetched, Long bytesFetched,
                       Long contentBytes, Integer filesLinked, String reason, String detail) {
    }
}
