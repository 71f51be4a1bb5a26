package dev.deploy.python;

import dev.deploy.DeployException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser for the PEP 508 marker grammar: {@code or} binds looser than {@code and}. */
final class MarkerParser {

    /** Old spellings that packaging still accepts, mapped to the PEP 508 names. */
    private static final Map<String, String> ALIASES = Map.of(
            "os.name", "os_name",
            "sys.platform", "sys_platform",
            "platform.version", "platform_version",
            "platform.machine", "platform_machine",
            "platform.python_implementation", "platform_python_implementation",
            "python_implementation", "platform_python_implementation");

    /** Longest first, so that {@code ===} is not read as {@code ==}. */
    private static final List<Marker.Operator> SYMBOLIC_OPERATORS = List.of(
            Marker.Operator.ARBITRARY, Marker.Operator.COMPATIBLE, Marker.Operator.EQUAL, Marker.Operator.NOT_EQUAL,
            Marker.Operator.LESS_EQUAL, Marker.Operator.GREATER_EQUAL, Marker.Operator.LESS, Marker.Operator.GREATER);

    private final String text;
    private int position;

    private MarkerParser(String text) {
        this.text = text;
    }

    static Marker parse(String text) {
        MarkerParser parser = new MarkerParser(text);
        parser.skipSpace();
        if (parser.atEnd()) {
            throw parser.error("empty marker");
        }
        Marker marker = parser.parseOr();
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw parser.error("expected 'and', 'or' or the end");
        }
        return marker;
    }

    private Marker parseOr() {
        List<Marker> operands = new ArrayList<>();
        operands.add(parseAnd());
        while (keyword("or")) {
            operands.add(parseAnd());
        }
        return operands.size() == 1 ? operands.get(0) : new Marker.Or(operands);
    }

    private Marker parseAnd() {
        List<Marker> operands = new ArrayList<>();
        operands.add(parseExpression());
        while (keyword("and")) {
            operands.add(parseExpression());
        }
        return operands.size() == 1 ? operands.get(0) : new Marker.And(operands);
    }

    private Marker parseExpression() {
        skipSpace();
        if (peek() == '(') {
            position++;
            Marker inner = parseOr();
            skipSpace();
            if (peek() != ')') {
                throw error("expected ')'");
            }
            position++;
            return inner;
        }
        Marker.Value left = parseValue();
        Marker.Operator operator = parseOperator();
        Marker.Value right = parseValue();
        return new Marker.Comparison(left, operator, right);
    }

    private Marker.Value parseValue() {
        skipSpace();
        char c = peek();
        if (c == '"' || c == '\'') {
            int close = text.indexOf(c, position + 1);
            if (close < 0) {
                throw error("unterminated string");
            }
            String literal = text.substring(position + 1, close);
            position = close + 1;
            return new Marker.Literal(literal);
        }
        if (isNameChar(c)) {
            int start = position;
            while (isNameChar(peek())) {
                position++;
            }
            String name = text.substring(start, position);
            String canonical = ALIASES.getOrDefault(name, name);
            if (!canonical.equals("extra") && !MarkerEnvironment.VARIABLES.contains(canonical)) {
                position = start;
                throw error("unknown marker variable '" + name + "'");
            }
            return new Marker.Variable(canonical);
        }
        throw error("expected a marker variable or a quoted string");
    }

    private Marker.Operator parseOperator() {
        skipSpace();
        for (Marker.Operator operator : SYMBOLIC_OPERATORS) {
            if (text.startsWith(operator.symbol(), position)) {
                position += operator.symbol().length();
                return operator;
            }
        }
        if (keyword("in")) {
            return Marker.Operator.IN;
        }
        int start = position;
        if (keyword("not")) {
            if (keyword("in")) {
                return Marker.Operator.NOT_IN;
            }
            position = start;
        }
        throw error("expected a comparison operator");
    }

    /** Consumes {@code word} if it comes next as a whole word. */
    private boolean keyword(String word) {
        skipSpace();
        int end = position + word.length();
        if (text.startsWith(word, position) && (end >= text.length() || !isNameChar(text.charAt(end)))) {
            position = end;
            return true;
        }
        return false;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private void skipSpace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private char peek() {
        return atEnd() ? '\0' : text.charAt(position);
    }

    private DeployException error(String problem) {
        String where = atEnd() ? "at the end" : "at column " + (position + 1);
        return DeployException.input("invalid marker '" + text + "': " + problem + " " + where);
    }
}
