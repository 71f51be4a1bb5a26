package dev.deploy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One of the repository's JSON Schemas ({@code schema/*.schema.json}) as a tree, with the few operations the
 * agreement test needs: follow local {@code $ref}s, name each subschema by its JSON pointer, list the closed objects
 * (a {@code properties} object with {@code additionalProperties: false}). Only local references ({@code #/...}).
 */
final class JsonSchemaFile {

    /** The subschema for values whose type a module declares (option values): not checked field by field. */
    static final String UNTYPED = "#/$defs/optionValue";

    private final Path path;
    private final JsonNode root;

    JsonSchemaFile(Path path) {
        this.path = path;
        try {
            this.root = new ObjectMapper().readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return path;
    }

    JsonNode root() {
        return root;
    }

    JsonNode at(String pointer) {
        JsonNode node = pointer.equals("#") ? root : root.at(pointer.substring(1));
        if (node.isMissingNode()) {
            throw new AssertionError(path + ": no subschema at " + pointer);
        }
        return node;
    }

    /** Follows {@code $ref}s from {@code pointer} to the subschema that has the content; returns its pointer. */
    String resolve(String pointer) {
        String current = pointer;
        for (int hops = 0; at(current).has("$ref"); hops++) {
            if (hops > 20) {
                throw new AssertionError(path + ": $ref loop at " + pointer);
            }
            String ref = at(current).get("$ref").asText();
            if (!ref.startsWith("#")) {
                throw new AssertionError(path + ": only local $refs are supported, got " + ref + " at " + current);
            }
            current = ref;
        }
        return current;
    }

    static String child(String pointer, String... segments) {
        StringBuilder out = new StringBuilder(pointer);
        for (String segment : segments) {
            out.append('/').append(segment.replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    static boolean isClosed(JsonNode schema) {
        return schema.has("properties") && schema.path("additionalProperties").isBoolean()
                && !schema.get("additionalProperties").asBoolean();
    }

    static Set<String> propertyNames(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Pointers of every closed object in the file. */
    List<String> closedObjects() {
        List<String> out = new ArrayList<>();
        collect("#", root, out);
        return out;
    }

    private static void collect(String pointer, JsonNode node, List<String> out) {
        if (node.isObject()) {
            if (isClosed(node)) {
                out.add(pointer);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                collect(child(pointer, entry.getKey()), entry.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(child(pointer, String.valueOf(i)), node.get(i), out);
            }
        }
    }

    /** Every schema in the file with its pointer: the root, $defs, properties, items, branches... */
    List<Map.Entry<String, JsonNode>> allSchemas() {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        schemas("#", root, out);
        return out;
    }

    private static void schemas(String pointer, JsonNode schema, List<Map.Entry<String, JsonNode>> out) {
        if (!schema.isObject()) {
            return;
        }
        out.add(Map.entry(pointer, schema));
        for (String map : List.of("$defs", "properties", "patternProperties")) {
            schema.path(map).fields().forEachRemaining(e -> schemas(child(pointer, map, e.getKey()), e.getValue(), out));
        }
        for (String single : List.of("additionalProperties", "items", "propertyNames", "not")) {
            if (schema.path(single).isObject()) {
                schemas(child(pointer, single), schema.get(single), out);
            }
        }
        for (String list : List.of("anyOf", "oneOf", "allOf")) {
            JsonNode branches = schema.path(list);
            for (int i = 0; i < branches.size(); i++) {
                schemas(child(pointer, list, String.valueOf(i)), branches.get(i), out);
            }
        }
    }
}
