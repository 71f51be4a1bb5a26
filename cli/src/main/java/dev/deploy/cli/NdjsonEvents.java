package dev.deploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploy.cli.json.ApplyDocument;
import dev.deploy.cli.json.EventLine;
import dev.deploy.cli.json.HostPlanJson;
import dev.deploy.cli.json.JsonDocument;
import dev.deploy.event.DeployEvent;
import dev.deploy.event.EventSink;
import dev.deploy.plan.HostPlan;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code --events ndjson}: one JSON object per line on stdout, written and flushed as things happen, so a CI system
 * can follow a rollout live. Every line has {@code "format": 1} (the schema version: fields are only ever added),
 * a stable {@code "type"}, and {@code "at"} (ISO-8601 instant); host events have {@code "host"}. The first line is
 * {@code run-started}, the last is {@code result} (the {@code --json} document). One record of
 * {@link EventLine} per type; types and their fields:
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

    static final int FORMAT = JsonDocument.FORMAT;

    private final PrintWriter out;

    NdjsonEvents(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(DeployEvent event) {
        write(line(event));
    }

    /** The first line: what the run is about to do. */
    void runStarted(String command, List<String> hosts, List<List<String>> batches) {
        write(new EventLine.RunStarted(FORMAT, "run-started", Instant.now().toString(), command, hosts, batches));
    }

    /** The last line: the {@code --json} document with {@code "type": "result"} and {@code "at"}. */
    void result(ApplyDocument document) {
        ObjectNode fields = Json.tree(document);
        ObjectNode line = fields.objectNode();
        line.put("format", FORMAT);
        line.put("type", "result");
        line.put("at", Instant.now().toString());
        fields.remove("format");
        line.setAll(fields);
        write(line);
    }

    private synchronized void write(Object line) {
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

    /** One event as its line. */
    static EventLine line(DeployEvent event) {
        String type = type(event);
        String at = event.at().toString();
        String host = event.host();
        if (event instanceof DeployEvent.HostStarted) {
            return new EventLine.HostStarted(FORMAT, type, at, host);
        }
        if (event instanceof DeployEvent.Connected) {
            return new EventLine.Connected(FORMAT, type, at, host);
        }
        if (event instanceof DeployEvent.Planned planned) {
            HostPlan plan = planned.plan();
            return new EventLine.Planned(FORMAT, type, at, host, plan.hasChanges(),
                    plan.state().currentNumber().orElse(null),
                    plan.hasChanges() ? plan.state().nextGenerationNumber() : null, plan.toAdd().size(),
                    plan.bytesToAdd(), HostPlanJson.Secret.of(plan),
                    plan.serviceChanges().stream().map(HostPlanJson.Service::of).toList());
        }
        if (event instanceof DeployEvent.TransferProgress progress) {
            return new EventLine.TransferProgress(FORMAT, type, at, host, progress.bytesSent(), progress.totalBytes(),
                    progress.filesSent(), progress.totalFiles());
        }
        if (event instanceof DeployEvent.Switched switched) {
            return new EventLine.Switched(FORMAT, type, at, host, switched.from(), switched.to());
        }
        if (event instanceof DeployEvent.HealthChecked health) {
            return new EventLine.HealthChecked(FORMAT, type, at, host, health.service(), health.healthy(),
                    health.detail());
        }
        if (event instanceof DeployEvent.Confirmed confirmed) {
            return new EventLine.Confirmed(FORMAT, type, at, host, confirmed.generation());
        }
        if (event instanceof DeployEvent.RolledBack back) {
            return new EventLine.RolledBack(FORMAT, type, at, host, back.from(), back.to(), back.byHost(),
                    back.reason());
        }
        if (event instanceof DeployEvent.HostFinished finished) {
            return new EventLine.HostFinished(FORMAT, type, at, host, finished.result());
        }
        if (event instanceof DeployEvent.BatchStarted batch) {
            return new EventLine.BatchStarted(FORMAT, type, at, batch.number(), batch.hosts());
        }
        if (event instanceof DeployEvent.BatchFinished batch) {
            return new EventLine.BatchFinished(FORMAT, type, at, batch.number(), batch.failed());
        }
        throw new IllegalStateException("no NDJSON form for event " + event.getClass().getName());
    }
}
