package dev.deploy.python;

import java.util.ArrayList;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The lines of a uv.lock's keys and array elements, for messages. {@link TomlReader} keeps no source positions, so
 * the first line asked for parses the text again with tomlj, which does (ten to a hundred times slower, which is why
 * it is not the parser): a lock that is read without complaint never pays for it. A path tomlj cannot follow (a
 * document the two parsers read differently) gives line 1.
 */
final class LockLines {

    private final String text;
    private TomlParseResult toml;
    private int[] lineStarts;

    LockLines(String text) {
        this.text = text;
    }

    /** Whether a line was asked for, and so the text parsed a second time (for tests). */
    synchronized boolean parsed() {
        return toml != null;
    }

    /**
     * The line of {@code last} in the container at {@code path}: of key {@code last} when it is a string (of the
     * table's first key when the table lacks it), of element {@code last} when it is an integer, and of the table's
     * first key when it is null. Path segments are keys (strings) and array indexes (integers).
     */
    synchronized int line(List<Object> path, Object last) {
        if (toml == null) {
            toml = Toml.parse(text);
        }
        Object container = toml;
        for (Object segment : path) {
            container = child(container, segment);
            if (container == null) {
                return 1;
            }
        }
        if (last instanceof Integer index && container instanceof TomlArray array) {
            return elementLine(array, index);
        }
        if (!(container instanceof TomlTable table)) {
            return 1;
        }
        if (last instanceof String key) {
            TomlPosition position = table.inputPositionOf(List.of(key));
            if (position != null) {
                return position.line();
            }
        }
        return table.keySet().stream()
                .map(k -> table.inputPositionOf(List.of(k)))
                .filter(p -> p != null)
                .mapToInt(TomlPosition::line)
                .min()
                .orElse(1);
    }

    private static Object child(Object container, Object segment) {
        if (segment instanceof String key && container instanceof TomlTable table) {
            return table.get(List.of(key));
        }
        if (segment instanceof Integer index && container instanceof TomlArray array && index < array.size()) {
            return array.get(index);
        }
        return null;
    }

    /**
     * The line where element {@code index} of {@code array} starts. tomlj reports the position just after the
     * previous separator, so skip the blanks, commas and comments that follow it.
     */
    private int elementLine(TomlArray array, int index) {
        if (index >= array.size()) {
            return 1;
        }
        TomlPosition position = array.inputPositionOf(index);
        if (position == null) {
            return 1;
        }
        int line = position.line();
        int offset = offsetOf(line, position.column());
        while (offset < text.length()) {
            char c = text.charAt(offset);
            if (c == '#') {
                while (offset < text.length() && text.charAt(offset) != '\n') {
                    offset++;
                }
            } else if (c == '\n') {
                line++;
                offset++;
            } else if (Character.isWhitespace(c) || c == ',') {
                offset++;
            } else {
                break;
            }
        }
        return line;
    }

    /** The offset in the text of a 1-based line and column. */
    private int offsetOf(int line, int column) {
        if (lineStarts == null) {
            List<Integer> starts = new ArrayList<>(List.of(0));
            for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
                starts.add(i + 1);
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }
        if (line < 1 || line > lineStarts.length) {
            return text.length();
        }
        return Math.min(text.length(), lineStarts[line - 1] + column - 1);
    }
}
