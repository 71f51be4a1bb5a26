package dev.deploy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploy.Location;
import dev.deploy.yaml.YamlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks a YAML document (as the loaders read it) and its JSON Schema side by side, noting for each mapping which
 * closed schema object describes it, and which mappings lie inside values the schema leaves untyped
 * ({@link JsonSchemaFile#UNTYPED}). Mappings are keyed by where they start, like the loaders' field checks.
 */
final class SchemaWalk {

    /** A mapping described by the closed schema object at {@code pointer}, which allows {@code properties}. */
    record Closed(String field, String pointer, Set<String> properties) {
    }

    private final JsonSchemaFile schema;
    final Map<Location, Closed> closed = new LinkedHashMap<>();
    final Set<Location> untyped = new HashSet<>();
    final List<String> problems = new ArrayList<>();

    SchemaWalk(JsonSchemaFile schema) {
        this.schema = schema;
    }

    JsonSchemaFile schema() {
        return schema;
    }

    /** Normalized so that the loaders' locations (paths as they were opened) and the walk's compare equal. */
    static Location key(Location location) {
        return new Location(Path.of(location.file()).toAbsolutePath().normalize().toString(), location.line(),
                location.column());
    }

    void walk(YamlValue value, String pointer) {
        String resolved = schema.resolve(pointer);
        if (resolved.equals(JsonSchemaFile.UNTYPED)) {
            markUntyped(value);
            return;
        }
        if (value.isMap()) {
            String object = shape(resolved, "object", value);
            if (object == null) {
                return;
            }
            if (object.equals(JsonSchemaFile.UNTYPED)) {
                markUntyped(value);
                return;
            }
            JsonNode s = schema.at(object);
            if (JsonSchemaFile.isClosed(s)) {
                closed.put(key(value.location()), new Closed(value.field(), object, JsonSchemaFile.propertyNames(s)));
            }
            value.map().entries().forEach((key, child) -> {
                String childPointer = childSchema(object, s, key);
                if (childPointer != null) {
                    walk(child, childPointer);
                }
            });
        } else if (value.isList()) {
            String array = shape(resolved, "array", value);
            if (array != null && schema.at(array).has("items")) {
                String items = JsonSchemaFile.child(array, "items");
                value.list().forEach(item -> walk(item, items));
            }
        }
    }

    private String childSchema(String pointer, JsonNode object, String key) {
        if (object.path("properties").has(key)) {
            return JsonSchemaFile.child(pointer, "properties", key);
        }
        var patterns = object.path("patternProperties").fields();
        while (patterns.hasNext()) {
            var pattern = patterns.next();
            if (Pattern.compile(pattern.getKey()).matcher(key).find()) {
                return JsonSchemaFile.child(pointer, "patternProperties", pattern.getKey());
            }
        }
        if (object.path("additionalProperties").isObject()) {
            return JsonSchemaFile.child(pointer, "additionalProperties");
        }
        return null; // not allowed by the schema: the validation test reports it
    }

    /**
     * The subschema that describes a value of JSON type {@code type} here: the schema itself when it is of that
     * type, else its one anyOf/oneOf branch of that type. Two candidate branches are a problem (the walk would have
     * to guess which object the loader reads).
     */
    private String shape(String pointer, String type, YamlValue value) {
        JsonNode s = schema.at(pointer);
        if (hasShape(s, type)) {
            return pointer;
        }
        List<String> candidates = new ArrayList<>();
        for (String combinator : List.of("anyOf", "oneOf")) {
            JsonNode branches = s.path(combinator);
            for (int i = 0; i < branches.size(); i++) {
                String branch = schema.resolve(JsonSchemaFile.child(pointer, combinator, String.valueOf(i)));
                if (branch.equals(JsonSchemaFile.UNTYPED)) {
                    candidates.add(branch);
                    continue;
                }
                String inner = hasShape(schema.at(branch), type) ? branch : shape(branch, type, value);
                if (inner != null) {
                    candidates.add(inner);
                }
            }
        }
        if (candidates.size() > 1) {
            problems.add(value.location() + " (" + value.field() + "): " + pointer + " offers " + candidates.size()
                    + " " + type + " shapes " + candidates + "; give each place one " + type + " schema");
            return null;
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private static boolean hasShape(JsonNode schema, String type) {
        JsonNode declared = schema.path("type");
        boolean typed = declared.isTextual() ? declared.asText().equals(type)
                : declared.isArray() && declared.toString().contains("\"" + type + "\"");
        if (type.equals("object")) {
            return typed || schema.has("properties") || schema.has("additionalProperties")
                    || schema.has("patternProperties");
        }
        return typed || schema.has("items");
    }

    private void markUntyped(YamlValue value) {
        if (value.isMap()) {
            untyped.add(key(value.location()));
            value.map().entries().values().forEach(this::markUntyped);
        } else if (value.isList()) {
            value.list().forEach(this::markUntyped);
        }
    }
}
