package dev.deploy.cli;

import dev.deploy.cache.BinaryCache;
import dev.deploy.cache.CacheOutcome;
import dev.deploy.cache.CacheUploader;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the binary cache's typed results are shown: one line for a terminal, a map for {@code --json}. */
final class CacheView {

    private CacheView() {
    }

    /** After apply's table: what the run uploaded, then one {@code HOST: cache: ...} line per host that used it. */
    static void printApply(PrintWriter err, List<String> hosts, BinaryCache cache) {
        if (!cache.configured()) {
            return;
        }
        cache.uploaded().ifPresent(report -> err.println(upload(cache.settings().location(), report)));
        for (String host : hosts) {
            cache.outcome(host).ifPresent(outcome -> err.println(host + ": cache: " + line(outcome)));
        }
    }

    /** Apply's JSON: {@code cacheUpload} for the run, {@code cache} per host (null when the host got nothing). */
    @SuppressWarnings("unchecked")
    static void addToApply(Map<String, Object> doc, BinaryCache cache) {
        if (!cache.configured()) {
            return;
        }
        doc.put("cacheUpload", cache.uploaded().map(CacheView::json).orElse(null));
        for (Object item : (List<Object>) doc.get("hosts")) {
            Map<String, Object> host = (Map<String, Object>) item;
            host.put("cache", cache.outcome((String) host.get("host")).map(CacheView::json).orElse(null));
        }
    }

    /** {@code fetched 312 objects ...} or {@code fell back to the SSH push: ...}. */
    static String line(CacheOutcome outcome) {
        if (outcome instanceof CacheOutcome.Substituted s) {
            return "fetched " + s.objects() + " object(s), " + Style.bytes(s.compressedBytes()) + " ("
                    + Style.bytes(s.contentBytes()) + " unpacked), from the cache for " + s.storePaths()
                    + " store path(s)" + (s.filesLinked() > 0 ? "; " + s.filesLinked()
                    + " file(s) linked from earlier versions on the host" : "");
        }
        if (outcome instanceof CacheOutcome.NothingToFetch n) {
            return "nothing to fetch from the cache: the " + n.filesLinked()
                    + " file(s) the host lacked are linked from earlier versions on it";
        }
        CacheOutcome.FellBack f = (CacheOutcome.FellBack) outcome;
        return "fell back to the SSH push: " + reason(f.reason()) + ": " + f.detail();
    }

    static String reason(CacheOutcome.Reason reason) {
        return switch (reason) {
            case OFF -> "the cache is off for this host";
            case UPLOAD_FAILED -> "the controller could not put the store paths into the cache";
            case NO_TOOLS -> "the host lacks the tools to fetch from the cache";
            case UNREACHABLE -> "the host cannot reach the cache";
            case OBJECTS_MISSING -> "objects could not be fetched from the cache";
            case OBJECTS_CORRUPT -> "objects from the cache failed verification";
        };
    }

    static Map<String, Object> json(CacheOutcome outcome) {
        Map<String, Object> item = new LinkedHashMap<>();
        if (outcome instanceof CacheOutcome.Substituted s) {
            item.put("result", "substituted");
            item.put("storePaths", s.storePaths());
            item.put("objectsFetched", s.objects());
            item.put("bytesFetched", s.compressedBytes());
            item.put("contentBytes", s.contentBytes());
            item.put("filesLinked", s.filesLinked());
        } else if (outcome instanceof CacheOutcome.NothingToFetch n) {
            item.put("result", "nothing-to-fetch");
            item.put("storePaths", n.storePaths());
            item.put("filesLinked", n.filesLinked());
        } else if (outcome instanceof CacheOutcome.FellBack f) {
            item.put("result", "fell-back");
            item.put("reason", f.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            item.put("detail", f.detail());
        }
        return item;
    }

    /** {@code uploaded 500 objects ... (12 already there)}. */
    static String upload(String location, CacheUploader.Report report) {
        return "cache " + location + ": uploaded " + report.objectsUploaded() + " object(s), "
                + Style.bytes(report.bytesUploaded()) + " (" + Style.bytes(report.contentBytesUploaded())
                + " unpacked), and " + report.pathsUploaded() + " manifest(s); already there: "
                + report.objectsPresent() + " object(s) checked, " + report.pathsPresent() + " store path(s)";
    }

    static Map<String, Object> json(CacheUploader.Report report) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("storePathsUploaded", report.pathsUploaded());
        item.put("storePathsPresent", report.pathsPresent());
        item.put("objectsUploaded", report.objectsUploaded());
        item.put("objectsPresent", report.objectsPresent());
        item.put("bytesUploaded", report.bytesUploaded());
        item.put("contentBytesUploaded", report.contentBytesUploaded());
        return item;
    }
}
