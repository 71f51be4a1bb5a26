package dev.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploy.cli.json.JsonDocument;

/**
 * Writes the {@code --json} documents (records of {@link dev.deploy.cli.json}) and the NDJSON event lines with
 * Jackson: fields in the order of the records' components, null fields written as null.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {
    }

    /** {@code document}, indented. */
    static String write(JsonDocument document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} on one line (no line breaks inside: JSON escapes them), for NDJSON. */
    static String writeLine(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code document} as a tree, for a line that adds fields to it. */
    static ObjectNode tree(JsonDocument document) {
        return COMPACT.valueToTree(document);
    }
}
