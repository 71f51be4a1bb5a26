package dev.deploy.python;

import dev.deploy.DeployException;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PEP 508 environment marker such as {@code python_version < "3.11" and sys_platform != "win32"}, parsed into a
 * small tree. {@link #parse} reports malformed text; {@link #evaluate} decides it for one {@link MarkerEnvironment}.
 */
public sealed interface Marker permits Marker.Always, Marker.And, Marker.Or, Marker.Comparison {

    /** The marker of a dependency that has none: it always applies. */
    Marker ALWAYS = new Always();

    /**
     * Parses marker text; throws {@link DeployException} of kind input whose message quotes the marker and names
     * the column of the problem. Callers add the file and field.
     */
    static Marker parse(String text) {
        return MarkerParser.parse(text);
    }

    boolean evaluate(MarkerEnvironment environment);

    /** Adds the normalized values {@code extra} is compared with in this marker to {@code into}. */
    void collectExtraValues(Set<String> into);

    /** The normalized values {@code extra} is compared with in this marker, e.g. uv's conflict items. */
    default Set<String> extraValues() {
        Set<String> values = new java.util.TreeSet<>();
        collectExtraValues(values);
        return values;
    }

    /** No condition. */
    record Always() implements Marker {
        @Override
        public boolean evaluate(MarkerEnvironment environment) {
            return true;
        }

        @Override
        public void collectExtraValues(Set<String> into) {
        }

        @Override
        public String toString() {
            return "";
        }
    }

    /** Every operand holds. */
    record And(List<Marker> operands) implements Marker {
        public And {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean evaluate(MarkerEnvironment environment) {
            return operands.stream().allMatch(operand -> operand.evaluate(environment));
        }

        @Override
        public void collectExtraValues(Set<String> into) {
            operands.forEach(operand -> operand.collectExtraValues(into));
        }

        @Override
        public String toString() {
            return operands.stream()
                    .map(operand -> operand instanceof Or ? "(" + operand + ")" : operand.toString())
                    .collect(Collectors.joining(" and "));
        }
    }

    /** At least one operand holds. */
    record Or(List<Marker> operands) implements Marker {
        public Or {
            operands = List.copyOf(operands);
        }

        @Override
        public boolean evaluate(MarkerEnvironment environment) {
            return operands.stream().anyMatch(operand -> operand.evaluate(environment));
        }

        @Override
        public void collectExtraValues(Set<String> into) {
            operands.forEach(operand -> operand.collectExtraValues(into));
        }

        @Override
        public String toString() {
            return operands.stream().map(Marker::toString).collect(Collectors.joining(" or "));
        }
    }

    /** One side of a comparison: an environment variable or a quoted string. */
    sealed interface Value permits Variable, Literal {
    }

    /** A marker variable such as {@code python_version} or {@code extra}. */
    record Variable(String name) implements Value {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A quoted string. */
    record Literal(String text) implements Value {
        @Override
        public String toString() {
            return text.contains("\"") ? "'" + text + "'" : "\"" + text + "\"";
        }
    }

    /** The operators a marker comparison may use. */
    enum Operator {
        EQUAL("==", VersionSpecifier.Operator.EQUAL),
        NOT_EQUAL("!=", VersionSpecifier.Operator.NOT_EQUAL),
        LESS("<", VersionSpecifier.Operator.LESS),
        LESS_EQUAL("<=", VersionSpecifier.Operator.LESS_EQUAL),
        GREATER(">", VersionSpecifier.Operator.GREATER),
        GREATER_EQUAL(">=", VersionSpecifier.Operator.GREATER_EQUAL),
        COMPATIBLE("~=", VersionSpecifier.Operator.COMPATIBLE),
        ARBITRARY("===", VersionSpecifier.Operator.ARBITRARY),
        IN("in", null),
        NOT_IN("not in", null);

        private final String symbol;
        private final VersionSpecifier.Operator versionOperator;

        Operator(String symbol, VersionSpecifier.Operator versionOperator) {
            this.symbol = symbol;
            this.versionOperator = versionOperator;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * {@code left operator right}. Version operators compare as PEP 440 versions when both sides are versions and
     * fall back to plain string comparison otherwise; {@code in} tests for a substring. {@code extra} compares
     * against the set of active extras.
     */
    record Comparison(Value left, Operator operator, Value right) implements Marker {

        @Override
        public boolean evaluate(MarkerEnvironment environment) {
            if (isExtra(left) || isExtra(right)) {
                return evaluateExtra(environment);
            }
            return compare(resolve(left, environment), resolve(right, environment));
        }

        @Override
        public void collectExtraValues(Set<String> into) {
            if (isExtra(left) && right instanceof Literal literal) {
                into.add(PackageNames.normalize(literal.text()));
            } else if (isExtra(right) && left instanceof Literal literal) {
                into.add(PackageNames.normalize(literal.text()));
            }
        }

        private static boolean isExtra(Value value) {
            return value instanceof Variable variable && variable.name().equals("extra");
        }

        private static String resolve(Value value, MarkerEnvironment environment) {
            return value instanceof Variable variable ? environment.value(variable.name()) : ((Literal) value).text();
        }

        /** {@code extra == "x"} asks whether x is active; other operators are tried against each active extra. */
        private boolean evaluateExtra(MarkerEnvironment environment) {
            boolean extraOnLeft = isExtra(left);
            Value other = extraOnLeft ? right : left;
            if (isExtra(other)) {
                throw DeployException.input("marker '" + this + "': compares extra with itself");
            }
            String otherValue = PackageNames.normalize(resolve(other, environment));
            Set<String> extras = environment.extras();
            if (operator == Operator.EQUAL) {
                return extras.contains(otherValue);
            }
            if (operator == Operator.NOT_EQUAL) {
                return !extras.contains(otherValue);
            }
            List<String> candidates = extras.isEmpty() ? List.of("") : List.copyOf(extras);
            return candidates.stream()
                    .anyMatch(extra -> extraOnLeft ? compare(extra, otherValue) : compare(otherValue, extra));
        }

        private boolean compare(String leftValue, String rightValue) {
            if (operator == Operator.IN) {
                return rightValue.contains(leftValue);
            }
            if (operator == Operator.NOT_IN) {
                return !rightValue.contains(leftValue);
            }
            Optional<VersionSpecifier> specifier = VersionSpecifier.of(operator.versionOperator, rightValue.strip());
            if (specifier.isPresent()
                    && (operator == Operator.ARBITRARY || Pep440Version.tryParse(leftValue).isPresent())) {
                return specifier.get().contains(leftValue);
            }
            int order = leftValue.compareTo(rightValue);
            return switch (operator) {
                case EQUAL, ARBITRARY -> order == 0;
                case NOT_EQUAL -> order != 0;
                case LESS -> order < 0;
                case LESS_EQUAL -> order <= 0;
                case GREATER -> order > 0;
                case GREATER_EQUAL -> order >= 0;
                default -> throw DeployException.input("marker '" + this + "': " + operator.symbol
                        + " needs PEP 440 versions on both sides, got '" + leftValue + "' and '" + rightValue + "'");
            };
        }

        @Override
        public String toString() {
            return left + " " + operator.symbol + " " + right;
        }
    }
}
