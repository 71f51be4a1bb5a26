package dev.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deploy.activation.GenerationInfo;
import dev.deploy.host.TransportStats;
import dev.deploy.plan.HostPlan;
import dev.deploy.store.Artifact;
import dev.deploy.venv.VenvReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The stable JSON documents of {@code --json}; fields are only ever added, never renamed. */
final class Json {

    static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {
    }

    static String write(Object document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code document} on one line (no line breaks inside: JSON escapes them), for NDJSON. */
    static String writeLine(Object document) {
        try {
            return COMPACT.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> document(String command) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("command", command);
        return doc;
    }

    static Map<String, Object> plan(HostPlan plan) {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("host", plan.host().name());
        host.put("changes", plan.hasChanges());
        host.put("currentGeneration", plan.state().currentNumber().orElse(null));
        host.put("nextGeneration", plan.hasChanges() ? plan.state().nextGenerationNumber() : null);
        List<Map<String, Object>> add = new ArrayList<>();
        for (Artifact artifact : plan.toAdd()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("storePath", artifact.storePath().toString());
            item.put("files", artifact.isBuilt() ? artifact.tree().fileCount() : null);
            item.put("bytes", artifact.isBuilt() ? artifact.tree().totalBytes() : null);
            item.put("builtAtApply", !artifact.isBuilt());
            item.put("origin", artifact.origin());
            add.add(item);
        }
        host.put("storePathsToAdd", add);
        host.put("bytesToAdd", plan.bytesToAdd());
        List<Map<String, Object>> roots = new ArrayList<>();
        for (HostPlan.RootChange change : plan.rootChanges()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("role", change.role());
            item.put("change", change.change().name().toLowerCase(Locale.ROOT));
            item.put("from", change.from());
            item.put("to", change.to());
            roots.add(item);
        }
        host.put("roots", roots);
        host.put("secrets", SecretChangesJson.of(plan));
        List<Map<String, Object>> services = new ArrayList<>();
        for (HostPlan.ServiceChange change : plan.serviceChanges()) {
            services.add(Map.of("service", change.service(),
                    "action", change.action().name().toLowerCase(Locale.ROOT)));
        }
        host.put("services", services);
        host.put("origins", plan.desired().manifest().origins());
        List<Map<String, Object>> venvs = new ArrayList<>();
        for (VenvReport venv : plan.desired().venvs()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("role", venv.role());
            item.put("storePath", venv.storePath());
            item.put("python", venv.python());
            List<Map<String, Object>> packages = new ArrayList<>();
            for (VenvReport.PackageLine line : venv.packages()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", line.name());
                p.put("version", line.version());
                p.put("wheel", line.wheel().orElse(null));
                p.put("file", line.file());
                p.put("via", line.via().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                packages.add(p);
            }
            item.put("packages", packages);
            item.put("withoutFittingWheel", venv.withoutFittingWheel().stream().map(VenvReport.PackageLine::name)
                    .toList());
            item.put("scripts", venv.scripts());
            item.put("extras", venv.extras());
            item.put("groups", venv.groups());
            item.put("filesToFetch", venv.filesToFetch());
            item.put("bytesToFetch", venv.bytesToFetch());
            venvs.add(item);
        }
        host.put("venvs", venvs);
        return host;
    }

    /** What crossed one host's connection: commands run (round trips) and stdin/stdout+stderr bytes. */
    static Map<String, Object> transport(TransportStats stats) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("roundTrips", stats.roundTrips());
        item.put("bytesSent", stats.bytesSent());
        item.put("bytesReceived", stats.bytesReceived());
        return item;
    }

    static Map<String, Object> generation(GenerationInfo info) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("number", info.number());
        item.put("current", info.current());
        item.put("failed", info.failure().orElse(null));
        item.put("createdAt", info.manifest() == null ? null : info.manifest().createdAt());
        item.put("roots", info.manifest() == null ? null : info.manifest().roots());
        item.put("origins", info.manifest() == null ? null : info.manifest().origins());
        item.put("services", info.manifest() == null ? null : info.manifest().services().keySet());
        return item;
    }
}
