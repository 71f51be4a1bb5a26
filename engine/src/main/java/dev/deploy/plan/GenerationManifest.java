package dev.deploy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deploy.store.StorePath;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one generation on a host consists of, written as {@code generations/N/manifest.json}: the store path of every
 * root by role, where each came from, the services with their units and health checks, and the secret versions it
 * uses by role (keyed names, never values; see {@code secret.SecretKey}). Two generations with
 * equal {@link #sameContentAs content} need no deploy between them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationManifest(int format, int number, String createdAt, String host,
                                 SortedMap<String, String> roots, SortedMap<String, String> origins,
                                 SortedMap<String, ServiceEntry> services, SortedMap<String, String> secrets) {

    public static final int FORMAT = 1;

    /** A generation without secrets (the field is absent from its JSON). */
    public GenerationManifest(int format, int number, String createdAt, String host, SortedMap<String, String> roots,
                              SortedMap<String, String> origins, SortedMap<String, ServiceEntry> services) {
        this(format, number, createdAt, host, roots, origins, services, null);
    }

    /** Secret versions by role ({@code secret/MODULE.NAME} to {@code HMAC-MODULE.NAME}); empty when none. */
    public SortedMap<String, String> secretVersions() {
        return secrets == null ? new java.util.TreeMap<>() : secrets;
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A service in a generation: its unit's store path, the store paths of the roots it uses (by role), and an
     * optional health check. A service restarts when its unit or any of its inputs changes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceEntry(String unit, SortedMap<String, String> inputs, Health health) {

        /** Whether going from this entry to {@code next} needs a restart. */
        public boolean needsRestartFor(ServiceEntry next) {
            return !unit.equals(next.unit) || !Objects.equals(inputs, next.inputs);
        }
    }

    /** A stored health check; null fields are absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String http, String command, int timeoutSeconds) {
    }

    /** Every store path the generation keeps alive. */
    public SortedSet<StorePath> storePaths() {
        SortedSet<StorePath> paths = new TreeSet<>();
        roots.values().forEach(path -> paths.add(StorePath.parse(path)));
        services.values().forEach(service -> paths.add(StorePath.parse(service.unit())));
        return paths;
    }

    /** Same roots and services (number, time and origins aside). */
    public boolean sameContentAs(GenerationManifest other) {
        return other != null && roots.equals(other.roots) && Objects.equals(services, other.services)
                && secretVersions().equals(other.secretVersions());
    }

    /**
     * This manifest with every secret version (in {@code secrets} and in services' inputs) replaced by
     * {@link DesiredGeneration#UNKEYED}: what the controller can compare before it knows the host's key.
     */
    public GenerationManifest unkeyed() {
        if (secretVersions().isEmpty()) {
            return this;
        }
        SortedMap<String, String> versions = new java.util.TreeMap<>(secrets);
        versions.replaceAll((role, version) -> DesiredGeneration.UNKEYED);
        SortedMap<String, ServiceEntry> unkeyedServices = new java.util.TreeMap<>();
        services.forEach((name, entry) -> {
            SortedMap<String, String> inputs = entry.inputs() == null ? null : new java.util.TreeMap<>(entry.inputs());
            if (inputs != null) {
                inputs.replaceAll((role, path) -> versions.containsKey(role) ? DesiredGeneration.UNKEYED : path);
            }
            unkeyedServices.put(name, new ServiceEntry(entry.unit(), inputs, entry.health()));
        });
        return new GenerationManifest(format, number, createdAt, host, roots, origins, unkeyedServices, versions);
    }

    public GenerationManifest withNumber(int newNumber, String time) {
        return new GenerationManifest(format, newNumber, time, host, roots, origins, services, secrets);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a manifest read from a host; a damaged file is a host error the caller reports. */
    public static GenerationManifest fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, GenerationManifest.class);
    }
}
