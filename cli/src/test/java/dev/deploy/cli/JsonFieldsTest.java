package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.deploy.cli.json.EventLine;
import dev.deploy.cli.json.JsonDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The {@code --json} documents and NDJSON event lines only ever gain fields: every field each of them has (its
 * path, e.g. {@code hosts[].plan.storePathsToAdd[].origin}, and its JSON type) is pinned in {@code json-fields.txt}.
 * A field removed, renamed or given another type fails; a new field fails until it is added to the file (and to the
 * README). The fields come from Jackson's own view of the records, so what is pinned is what gets written.
 */
class JsonFieldsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** {@code DOCUMENT PATH} to JSON type, for every document and event line as Jackson writes them. */
    static Map<String, String> actualFields() {
        Map<String, String> fields = new TreeMap<>();
        for (Class<?> document : JsonDocument.class.getPermittedSubclasses()) {
            String name = document.getSimpleName().replace("Document", "").toLowerCase(Locale.ROOT);
            collect(MAPPER.constructType(document), name + " ", "", fields);
        }
        for (Class<?> line : EventLine.class.getPermittedSubclasses()) {
            collect(MAPPER.constructType(line), "event:" + NdjsonEvents.type(line) + " ", "", fields);
        }
        return fields;
    }

    private static void collect(JavaType type, String document, String path, Map<String, String> into) {
        if (type.isCollectionLikeType() || type.isArrayType()) {
            JavaType item = type.getContentType();
            if (!item.isContainerType() && !item.getRawClass().isRecord()) {
                into.put(document + path + "[]", kind(item));
            }
            collect(item, document, path + "[]", into);
        } else if (type.isMapLikeType()) {
            into.put(document + path + ".*", kind(type.getContentType()));
            collect(type.getContentType(), document, path + ".*", into);
        } else if (type.getRawClass().isRecord()) {
            BeanDescription description = MAPPER.getSerializationConfig().introspect(type);
            for (BeanPropertyDefinition property : description.findProperties()) {
                String field = path.isEmpty() ? property.getName() : path + "." + property.getName();
                into.put(document + field, kind(property.getPrimaryType()));
                collect(property.getPrimaryType(), document, field, into);
            }
        }
    }

    private static String kind(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (type.isCollectionLikeType() || type.isArrayType()) {
            return "array";
        }
        if (type.isMapLikeType() || raw.isRecord()) {
            return "object";
        }
        if (raw == String.class || raw.isEnum()) {
            return "string";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            return "number";
        }
        throw new AssertionError("no JSON type for " + type + " (a document field must be a record, a list, a map,"
                + " a string, a number or a boolean)");
    }

    static Map<String, String> pinnedFields() throws IOException {
        Map<String, String> fields = new TreeMap<>();
        try (InputStream in = JsonFieldsTest.class.getResourceAsStream("json-fields.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.strip().split("\\s+");
                fields.put(parts[0] + " " + parts[1], parts[2]);
            }
        }
        return fields;
    }

    @Test
    void noFieldOfAnyDocumentWasRemovedRenamedOrRetyped() throws IOException {
        Map<String, String> actual = actualFields();
        List<String> gone = new ArrayList<>();
        pinnedFields().forEach((field, kind) -> {
            if (!kind.equals(actual.get(field))) {
                gone.add(field + " " + kind + (actual.containsKey(field) ? " (now " + actual.get(field) + ")" : ""));
            }
        });
        assertThat(gone).as("fields are only ever added to the --json documents and events; these were removed, "
                + "renamed or changed type").isEmpty();
    }

    @Test
    void everyFieldOfEveryDocumentIsPinned() throws IOException {
        Map<String, String> pinned = pinnedFields();
        List<String> unpinned = new ArrayList<>();
        actualFields().forEach((field, kind) -> {
            if (!pinned.containsKey(field)) {
                unpinned.add(field + " " + kind);
            }
        });
        assertThat(unpinned).as("new fields: add these lines to cli/src/test/resources/dev/deploy/cli/"
                + "json-fields.txt and describe them in the README").isEmpty();
    }

    @Test
    void jacksonWritesExactlyThePinnedFieldsInTheOrderOfTheRecords() throws IOException {
        JsonNode apply = MAPPER.readTree(Json.write(Documents.apply()));
        Map<String, String> pinned = pinnedFields();
        TreeSet<String> written = new TreeSet<>();
        paths(apply, "apply ", "", pinned, written);
        assertThat(pinned.keySet()).containsAll(written);
        assertThat(written).contains("apply hosts[].plan.origins.*", "apply outcomes.*",
                "apply hosts[].problem.step", "apply hosts[].transport.roundTrips");
        assertThat(apply.fieldNames()).toIterable().containsExactly("format", "command", "exitCode", "batches",
                "aborted", "outcomes", "hosts", "sourceNotices");
        assertThat(apply.get("hosts").get(0).fieldNames()).toIterable().startsWith("host", "batch", "outcome",
                "result", "durationSeconds");
    }

    /** The field paths of a written document; the keys of a map (pinned as {@code .*}) count as one. */
    private static void paths(JsonNode node, String document, String path, Map<String, String> pinned,
                              TreeSet<String> into) {
        if (node.isArray()) {
            node.forEach(item -> paths(item, document, path + "[]", pinned, into));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (pinned.containsKey(document + path + ".*")) {
                    name = path + ".*";
                }
                into.add(document + name);
                paths(field.getValue(), document, name, pinned, into);
            }
        }
    }

    /** Prints the current fields in the pin file's format (run by hand when adding fields). */
    public static void main(String[] args) {
        actualFields().forEach((field, kind) -> System.out.println(field + " " + kind));
    }
}
