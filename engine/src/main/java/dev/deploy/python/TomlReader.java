package dev.deploy.python;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlFactory;
import dev.deploy.DeployException;
import dev.deploy.yaml.FileErrors;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/**
 * Reads a TOML document (a uv.lock, a pyproject.toml) into a Jackson tree with {@code jackson-dataformat-toml}: a
 * table is an {@link ObjectNode} (keys in file order), an array an array node, a string or date a text node, an
 * integer an int or long node. Bounded input: at most {@link #MAX_CHARS} characters and {@link #MAX_DEPTH} levels of
 * nested arrays and inline tables (a real uv.lock nests four). A syntax error or a broken bound is an input error
 * {@code origin:line: ...}. The tree keeps no source positions; {@link LockLines} finds lines when a message needs one.
 */
public final class TomlReader {

    /** The largest document read, in characters: 32 Mi, about twenty times the largest real uv.lock seen. */
    public static final int MAX_CHARS = 32 * 1024 * 1024;

    /** The deepest nesting of arrays and inline tables read. */
    public static final int MAX_DEPTH = 32;

    private static final TomlFactory FACTORY = TomlFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_CHARS)
                    .build())
            .build();

    private TomlReader() {
    }

    /** Parses {@code text}; {@code origin} names it in messages (usually its path). */
    public static ObjectNode parse(String origin, String text) {
        if (text.length() > MAX_CHARS) {
            throw DeployException.input(origin + ": " + sizeOf(text.length()) + " is more than deploy reads ("
                    + sizeOf(MAX_CHARS) + ")");
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            return tree(origin, parser);
        } catch (StreamConstraintsException e) {
            throw tooDeep(origin);
        } catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            int line = location == null || location.getLineNr() < 1 ? 1 : location.getLineNr();
            throw syntaxError(origin, text, line, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw DeployException.input(origin + ": cannot read: " + FileErrors.describe(e));
        }
    }

    private static DeployException tooDeep(String origin) {
        return DeployException.input(origin + ": more than " + MAX_DEPTH + " levels of nested arrays or inline "
                + "tables, or a value longer than " + sizeOf(MAX_CHARS) + "; not a lock deploy reads");
    }

    /**
     * Builds the tree from the parser's tokens with an explicit stack (no recursion, and no ObjectMapper: a TOML
     * document needs none of databind's set-up). Tables nest by dotted keys too, which the TOML lexer does not count,
     * so the depth is bounded here as well.
     */
    private static ObjectNode tree(String origin, JsonParser parser) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        Deque<ContainerNode<?>> open = new ArrayDeque<>();
        String field = null;
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            JsonNode value;
            switch (token) {
                case FIELD_NAME -> {
                    field = parser.currentName();
                    continue;
                }
                case START_OBJECT, START_ARRAY -> {
                    ContainerNode<?> container = open.isEmpty() && token == JsonToken.START_OBJECT ? root
                            : token == JsonToken.START_OBJECT ? nodes.objectNode() : nodes.arrayNode();
                    if (!open.isEmpty()) {
                        add(open.peek(), field, container);
                    }
                    open.push(container);
                    if (open.size() > MAX_DEPTH) {
                        throw tooDeep(origin);
                    }
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    open.pop();
                    continue;
                }
                case VALUE_STRING -> value = nodes.textNode(parser.getText());
                case VALUE_NUMBER_INT -> value = switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> value = nodes.numberNode(parser.getDoubleValue());
                case VALUE_TRUE, VALUE_FALSE -> value = nodes.booleanNode(token == JsonToken.VALUE_TRUE);
                case VALUE_EMBEDDED_OBJECT -> value = nodes.textNode(String.valueOf(parser.getEmbeddedObject()));
                default -> value = nodes.nullNode();
            }
            if (open.isEmpty()) {
                throw DeployException.input(origin + ": not a TOML table");
            }
            add(open.peek(), field, value);
        }
        return root;
    }

    private static void add(ContainerNode<?> container, String field, JsonNode value) {
        if (container instanceof ObjectNode object) {
            object.set(field, value);
        } else {
            ((ArrayNode) container).add(value);
        }
    }

    /**
     * Jackson reports a syntax error where its look-ahead stopped, often a line late; tomlj, which keeps positions,
     * names the exact place. It reads only the text up to Jackson's line, which Jackson lexed within the nesting
     * bound, so it cannot recurse deeply.
     */
    private static DeployException syntaxError(String origin, String text, int line, String message) {
        int end = -1;
        for (int i = 0; i < line; i++) {
            end = text.indexOf('\n', end + 1);
            if (end < 0) {
                break;
            }
        }
        String prefix = end < 0 ? text : text.substring(0, end);
        TomlParseResult exact = Toml.parse(prefix);
        if (exact.hasErrors()) {
            TomlParseError error = exact.errors().get(0);
            int exactLine = error.position() == null ? line : error.position().line();
            if (exactLine <= line) {
                return DeployException.input(origin + ":" + exactLine + ": invalid TOML: "
                        + firstLine(error.getMessage()));
            }
        }
        return DeployException.input(origin + ":" + line + ": invalid TOML: " + message);
    }

    private static String sizeOf(long chars) {
        return chars >= 1024 * 1024 ? (chars / (1024 * 1024)) + " MiB" : chars + " characters";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
