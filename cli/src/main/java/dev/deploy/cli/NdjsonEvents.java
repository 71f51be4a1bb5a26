package dev.deploy.cli;

import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import dev.deploy.plan.HostPlan;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --events ndjson}: one JSON object per line on stdout, written and flushed as things happen, so a CI system
 * can follow a rollout live. Every line has {@code "format": 1} (the schema version: fields are only ever added),
 * a stable {@code "type"}, and {@code "at"} (ISO-8601 instant); host events have {@code "host"}. The first line is
 * {@code run-started}, the last is {@code result} (the {@code --json} document). Types and their fields:
 * <pre>
 * run-started        command, hosts, batches (lists of host names)
 * batch-started      batch, hosts
 * host-started       host
 * connected          host
 * planned            host, changes, currentGeneration, nextGeneration, storePathsToAdd, bytesToAdd, services
 * transfer-progress  host, bytesSent, totalBytes, filesSent, totalFiles
 * switched           host, from, to
 * health-checked     host, service, healthy, detail
 * confirmed          host, generation
 * rolled-back        host, from, to, byHost, reason
 * host-finished      host, result (an outcome name: applied, unchanged, rolled-back, ...)
 * batch-finished     batch, failed
 * result             the --json document's fields
 * </pre>
 */
final class NdjsonEvents implements EventSink {

    static final int FORMAT = 1;

    private final PrintWriter out;

    NdjsonEvents(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(DeployEvent event) {
        write(fields(event));
    }

    /** The first line: what the run is about to do. */
    void runStarted(String command, List<String> hosts, List<List<String>> batches) {
        Map<String, Object> line = line("run-started", java.time.Instant.now().toString());
        line.put("command", command);
        line.put("hosts", hosts);
        line.put("batches", batches);
        write(line);
    }

    /** The last line: the {@code --json} document with {@code "type": "result"}. */
    void result(Map<String, Object> document) {
        Map<String, Object> line = line("result", java.time.Instant.now().toString());
        document.forEach((key, value) -> {
            if (!key.equals("format")) {
                line.put(key, value);
            }
        });
        write(line);
    }

    private synchronized void write(Map<String, Object> line) {
        out.println(Json.writeLine(line));
        out.flush();
    }

    /** The stable type name of an event: {@code HostStarted} is {@code host-started}. */
    static String type(DeployEvent event) {
        return type(event.getClass());
    }

    static String type(Class<?> eventClass) {
        return eventClass.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** One event as the fields of its line. */
    static Map<String, Object> fields(DeployEvent event) {
        Map<String, Object> line = line(type(event), event.at().toString());
        if (!event.host().isEmpty()) {
            line.put("host", event.host());
        }
        if (event instanceof DeployEvent.HostStarted || event instanceof DeployEvent.Connected) {
            return line;
        }
        if (event instanceof DeployEvent.Planned planned) {
            HostPlan plan = planned.plan();
            line.put("changes", plan.hasChanges());
            line.put("currentGeneration", plan.state().currentNumber().orElse(null));
            line.put("nextGeneration", plan.hasChanges() ? plan.state().nextGenerationNumber() : null);
            line.put("storePathsToAdd", plan.toAdd().size());
            line.put("bytesToAdd", plan.bytesToAdd());
            line.put("services", plan.serviceChanges().stream().map(NdjsonEvents::service).toList());
            if (!plan.secretChanges().isEmpty()) {
                line.put("secrets", SecretChangesJson.of(plan));
            }
        } else if (event instanceof DeployEvent.TransferProgress progress) {
            line.put("bytesSent", progress.bytesSent());
            line.put("totalBytes", progress.totalBytes());
            line.put("filesSent", progress.filesSent());
            line.put("totalFiles", progress.totalFiles());
        } else if (event instanceof DeployEvent.Switched switched) {
            line.put("from", switched.from());
            line.put("to", switched.to());
        } else if (event instanceof DeployEvent.HealthChecked health) {
            line.put("service", health.service());
            line.put("healthy", health.healthy());
            line.put("detail", health.detail());
        } else if (event instanceof DeployEvent.Confirmed confirmed) {
            line.put("generation", confirmed.generation());
        } else if (event instanceof DeployEvent.RolledBack rolledBack) {
            line.put("from", rolledBack.from());
            line.put("to", rolledBack.to());
            line.put("byHost", rolledBack.byHost());
            line.put("reason", rolledBack.reason());
        } else if (event instanceof DeployEvent.HostFinished finished) {
            line.put("result", finished.result());
        } else if (event instanceof DeployEvent.BatchStarted batch) {
            line.put("batch", batch.number());
            line.put("hosts", batch.hosts());
        } else if (event instanceof DeployEvent.BatchFinished batch) {
            line.put("batch", batch.number());
            line.put("failed", batch.failed());
        } else {
            throw new IllegalStateException("no NDJSON form for event " + event.getClass().getName());
        }
        return line;
    }

    private static Map<String, Object> service(HostPlan.ServiceChange change) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("service", change.service());
        item.put("action", change.action().name().toLowerCase(Locale.ROOT));
        return item;
    }

    private static Map<String, Object> line(String type, String at) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("format", FORMAT);
        line.put("type", type);
        line.put("at", at);
        return line;
    }
}
