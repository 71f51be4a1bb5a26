package dev.deploy.cli.json;

import java.util.List;

/**
 * One line of {@code deploy apply --events ndjson}: a JSON object with {@code format} (the same version as the
 * documents), a stable {@code type} and {@code at} (ISO-8601 instant), then the fields of its type; host events
 * have {@code host}. A closed set, one record per type. The last line of a run, {@code result}, is the
 * {@link ApplyDocument} with {@code type} and {@code at} added (it is not one of these records).
 */
public sealed interface EventLine {

    int format();

    String type();

    String at();

    /** {@code run-started}: the command, its hosts in rollout order and the batches (lists of host names). */
    record RunStarted(int format, String type, String at, String command, List<String> hosts,
                      List<List<String>> batches) implements EventLine {
    }

    /** {@code batch-started}: the batch (from 1) and its hosts. */
    record BatchStarted(int format, String type, String at, int batch, List<String> hosts) implements EventLine {
    }

    /** {@code batch-finished}: the batch and its hosts that failed. */
    record BatchFinished(int format, String type, String at, int batch, List<String> failed) implements EventLine {
    }

    /** {@code host-started}. */
    record HostStarted(int format, String type, String at, String host) implements EventLine {
    }

    /** {@code connected}: the host's connection is open. */
    record Connected(int format, String type, String at, String host) implements EventLine {
    }

    /** {@code planned}: the plan read under the host's lock, before anything is sent. */
    record Planned(int format, String type, String at, String host, boolean changes, Integer currentGeneration,
                   Integer nextGeneration, int storePathsToAdd, long bytesToAdd,
                   List<HostPlanJson.Secret> secrets, List<HostPlanJson.Service> services) implements EventLine {
    }

    /** {@code transfer-progress}: about once a second per host, and the last. */
    record TransferProgress(int format, String type, String at, String host, long bytesSent, long totalBytes,
                            int filesSent, int totalFiles) implements EventLine {
    }

    /** {@code switched}: the host's {@code current} moved from one generation to another. */
    record Switched(int format, String type, String at, String host, int from, int to) implements EventLine {
    }

    /** {@code health-checked}: one service's check, healthy or not, with what it answered. */
    record HealthChecked(int format, String type, String at, String host, String service, boolean healthy,
                         String detail) implements EventLine {
    }

    /** {@code confirmed}: the new generation is confirmed on the host. */
    record Confirmed(int format, String type, String at, String host, int generation) implements EventLine {
    }

    /** {@code rolled-back}: switched back, by the controller or by the host's watchdog ({@code byHost}). */
    record RolledBack(int format, String type, String at, String host, int from, int to, boolean byHost,
                      String reason) implements EventLine {
    }

    /** {@code host-finished}: the host's outcome ({@code applied}, {@code unchanged}, {@code rolled-back}, ...). */
    record HostFinished(int format, String type, String at, String host, String result) implements EventLine {
    }
}
