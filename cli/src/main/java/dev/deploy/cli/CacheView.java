package dev.deploy.cli;

import dev.deploy.cache.BinaryCache;
import dev.deploy.cache.CacheOutcome;
import dev.deploy.cache.CacheUploader;
import dev.deploy.cli.json.ApplyDocument;
import dev.deploy.cli.json.CacheJson;
import dev.deploy.inventory.Host;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the binary cache's typed results are shown: one line for a terminal, records for {@code --json}. */
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

    /**
     * Apply's JSON: {@code doc} with {@code cacheUpload} for the run and {@code cache} per host (null when the host
     * did not use it); unchanged without a cache.
     */
    static ApplyDocument addTo(ApplyDocument doc, List<Host> hosts, BinaryCache cache) {
        if (!cache.configured()) {
            return doc;
        }
        Map<String, CacheJson.Host> byHost = new HashMap<>();
        for (Host host : hosts) {
            cache.outcome(host.name()).ifPresent(outcome -> byHost.put(host.name(), json(outcome)));
        }
        return doc.withCache(cache.uploaded().map(CacheView::json).orElse(null), byHost);
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

    static CacheJson.Host json(CacheOutcome outcome) {
        if (outcome instanceof CacheOutcome.Substituted s) {
            return new CacheJson.Host("substituted", s.storePaths(), s.objects(), s.compressedBytes(),
                    s.contentBytes(), s.filesLinked(), null, null);
        }
        if (outcome instanceof CacheOutcome.NothingToFetch n) {
            return new CacheJson.Host("nothing-to-fetch", n.storePaths(), null, null, null, n.filesLinked(), null,
                    null);
        }
        CacheOutcome.FellBack f = (CacheOutcome.FellBack) outcome;
        return new CacheJson.Host("fell-back", null, null, null, null, null,
                f.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), f.detail());
    }

    /** {@code uploaded 500 objects ... (12 already there)}. */
    static String upload(String location, CacheUploader.Report report) {
        return "cache " + location + ": uploaded " + report.objectsUploaded() + " object(s), "
                + Style.bytes(report.bytesUploaded()) + " (" + Style.bytes(report.contentBytesUploaded())
                + " unpacked), and " + report.pathsUploaded() + " manifest(s); already there: "
                + report.objectsPresent() + " object(s) checked, " + report.pathsPresent() + " store path(s)";
    }

    static CacheJson.Upload json(CacheUploader.Report report) {
        return new CacheJson.Upload(report.pathsUploaded(), report.pathsPresent(), report.objectsUploaded(),
                report.objectsPresent(), report.bytesUploaded(), report.contentBytesUploaded());
    }
}
