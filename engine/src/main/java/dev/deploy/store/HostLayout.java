package dev.deploy.store;

/**
 * Where things live on a host, under its state directory:
 * <pre>
 * STATE/store/HASH-NAME           immutable artifacts (read-only once sealed)
 * STATE/store/.meta/HASH-NAME     a sealed path's entry and checksum lists (gzip), the base of later deltas
 * STATE/store/.incoming-*         transfers in progress; removed by the next run if a transfer was cut
 * STATE/generations/N/            manifest.json, roots/ and units/ links into the store
 * STATE/current -> generations/N  the live generation, switched with one rename
 * STATE/lock, STATE/lock.owner    the per-host deploy lock and who holds it
 * </pre>
 */
public record HostLayout(String stateDir) {

    public String store() {
        return stateDir + "/store";
    }

    public String storePath(StorePath path) {
        return store() + "/" + path;
    }

    /** Where the host keeps sealed store paths' meta lists ({@code STATE/store/.meta}). */
    public String storeMeta() {
        return store() + "/.meta";
    }

    public String generations() {
        return stateDir + "/generations";
    }

    public String generation(int number) {
        return generations() + "/" + number;
    }

    public String current() {
        return stateDir + "/current";
    }

    public String lock() {
        return stateDir + "/lock";
    }

    public String lockOwner() {
        return stateDir + "/lock.owner";
    }
}
