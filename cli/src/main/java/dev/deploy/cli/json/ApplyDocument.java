package dev.deploy.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code deploy apply --json}, also the last line of {@code --events ndjson}: the rollout's batches, why it
 * stopped ({@code aborted}, null when it did not), the number of hosts per outcome, one entry per host in
 * rollout order, and the notices about its sources; with a binary cache, what the run uploaded ({@code cacheUpload},
 * only then present).
 */
public record ApplyDocument(int format, String command, int exitCode, List<Batch> batches, Abort aborted,
                            Map<String, Integer> outcomes, List<Host> hosts, List<Notice> sourceNotices,
                            @JsonInclude(JsonInclude.Include.NON_NULL) CacheJson.Upload cacheUpload)
        implements JsonDocument {

    public ApplyDocument(int exitCode, List<Batch> batches, Abort aborted, Map<String, Integer> outcomes,
                         List<Host> hosts, List<Notice> sourceNotices) {
        this(FORMAT, "apply", exitCode, batches, aborted, outcomes, hosts, sourceNotices, null);
    }

    /** This document with the binary cache's upload and each host's {@code cache} (by host name; absent: null). */
    public ApplyDocument withCache(CacheJson.Upload upload, Map<String, CacheJson.Host> byHost) {
        return new ApplyDocument(format, command, exitCode, batches, aborted, outcomes,
                hosts.stream().map(h -> h.withCache(byHost.get(h.host()))).toList(), sourceNotices, upload);
    }

    /** A batch (numbered from 1): whether it is the canary batch, whether it started, its hosts. */
    public record Batch(int number, boolean canary, boolean started, List<String> hosts) {
    }

    /**
     * Why a rollout stopped: {@code reason} ({@code canary-failed}, {@code failure-limit}), after which batch, how
     * many hosts had failed and the limit (null: none).
     */
    public record Abort(String reason, int batch, int failures, Integer limit) {
    }

    /**
     * A host: its batch, {@code outcome} (see the README's table), {@code result} (the coarse form older consumers
     * read: {@code ok}, {@code rolled-back}, {@code reverted}, {@code failed}, {@code skipped}), how long it took;
     * when its apply reached the host, the generation live at the end, whether it changed, what was sent and
     * reused, the health checks and the plan carried out; the error as a line ({@code error}), its {@code step}
     * and {@code detail} and as fields ({@code problem}); {@code rollback} when an aborted rollout returned it; what
     * crossed its connection; how it used the binary cache ({@code cache}, present only with a cache). Fields that do not apply are null.
     */
    public record Host(String host, int batch, String outcome, String result, double durationSeconds,
                       Integer generation, Boolean changed, Integer storePathsSent, Integer filesSent,
                       Long bytesSent, Integer filesReused, Long bytesReused, String error, String step,
                       String detail, Problem problem, List<String> healthChecks, HostPlanJson plan,
                       Rollback rollback, Transport transport,
                       @JsonInclude(JsonInclude.Include.NON_NULL) CacheJson.Host cache) {

        public Host(String host, int batch, String outcome, String result, double durationSeconds,
                    Integer generation, Boolean changed, Integer storePathsSent, Integer filesSent,
                    Long bytesSent, Integer filesReused, Long bytesReused, String error, String step,
                    String detail, Problem problem, List<String> healthChecks, HostPlanJson plan,
                    Rollback rollback, Transport transport) {
            this(host, batch, outcome, result, durationSeconds, generation, changed, storePathsSent, filesSent,
                    bytesSent, filesReused, bytesReused, error, step, detail, problem, healthChecks, plan, rollback,
                    transport, null);
        }

        Host withCache(CacheJson.Host how) {
            return new Host(host, batch, outcome, result, durationSeconds, generation, changed, storePathsSent,
                    filesSent, bytesSent, filesReused, bytesReused, error, step, detail, problem, healthChecks, plan,
                    rollback, transport, how);
        }
    }

    /** A switch back: from which generation to which. */
    public record Rollback(int from, int to) {
    }
}
