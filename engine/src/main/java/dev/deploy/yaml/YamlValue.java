package dev.deploy.yaml;

import dev.deploy.Location;
import dev.deploy.DeployException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML node with its location and the dotted field path that led to it, so that every type error names the
 * file, line, column and field.
 */
public final class YamlValue {

    /** Characters of a value quoted in an error message before it is cut short. */
    private static final int MAX_QUOTED = 80;

    private final Node node;
    private final String file;
    private final String field;

    YamlValue(Node node, String file, String field) {
        this.node = node;
        this.file = file;
        this.field = field;
    }

    public Location location() {
        return node.getStartMark()
                .map(mark -> new Location(file, mark.getLine() + 1, mark.getColumn() + 1))
                .orElse(new Location(file, 0, 0));
    }

    /** The dotted path of this value in its document, e.g. {@code hosts.web1.port}. */
    public String field() {
        return field;
    }

    public String file() {
        return file;
    }

    public boolean isNull() {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    /** This value as a mapping; an error naming the field if it is anything else. */
    public YamlMap map() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("expected a mapping, got " + describe());
        }
        return new YamlMap(mapping, file, field, location());
    }

    /** This value as a list; a single scalar is not silently promoted. */
    public List<YamlValue> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("expected a list, got " + describe());
        }
        List<YamlValue> items = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(new YamlValue(values.get(i), file, field + "[" + i + "]"));
        }
        return items;
    }

    /** A list of scalars as strings. */
    public List<String> stringList() {
        List<String> out = new ArrayList<>();
        for (YamlValue item : list()) {
            out.add(item.string());
        }
        return out;
    }

    /** Any scalar as its text (numbers and booleans included, as written). */
    public String string() {
        if (!isScalar()) {
            throw error("expected a string, got " + describe());
        }
        return ((ScalarNode) node).getValue();
    }

    /**
     * The scalar as an integer (YAML's JSON schema, which deploy reads with: decimal digits, an optional minus). An
     * integer that does not fit in 64 bits is an error naming the value, not an overflow.
     */
    public long integer() {
        if (!isInteger()) {
            throw error("expected an integer, got " + describe());
        }
        BigInteger value;
        try {
            value = new BigInteger(((ScalarNode) node).getValue());
        } catch (NumberFormatException e) {
            throw error("expected an integer, got " + describe());
        }
        if (value.bitLength() > 63) {
            throw error("integer out of range, got " + describe());
        }
        return value.longValue();
    }

    /** {@link #integer()} within {@code [min, max]}; outside it an error that names {@code what} and the range. */
    public long integer(long min, long max, String what) {
        long value = integer();
        if (value < min || value > max) {
            throw error(what + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public boolean bool() {
        if (!isScalar() || !Tag.BOOL.equals(node.getTag())) {
            throw error("expected true or false, got " + describe());
        }
        return Boolean.parseBoolean(((ScalarNode) node).getValue().toLowerCase());
    }

    /** Whether the scalar was written as a YAML integer. */
    public boolean isInteger() {
        return isScalar() && Tag.INT.equals(node.getTag());
    }

    /** Whether the scalar was written as a YAML boolean. */
    public boolean isBoolean() {
        return isScalar() && Tag.BOOL.equals(node.getTag());
    }

    /** A user-input error at this value: {@code file:line:col: field: message}. */
    public DeployException error(String message) {
        return DeployException.input(location(), field, message);
    }

    private String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull()) {
            return "nothing";
        }
        return quoted(((ScalarNode) node).getValue());
    }

    /** {@code text} in double quotes for a message, shortened when long (a message stays one readable line). */
    public static String quoted(String text) {
        if (text.length() <= MAX_QUOTED) {
            return "\"" + text + "\"";
        }
        return "\"" + text.substring(0, MAX_QUOTED) + "...\" (" + text.length() + " characters)";
    }
}
