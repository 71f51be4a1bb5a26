package dev.deploy.module;

import dev.deploy.render.Origin;
import dev.deploy.yaml.YamlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A template as read from a module or inventory: literal text and {@code ${reference}} placeholders, parsed once
 * when the file is loaded; {@code $${} writes a literal {@code ${}. References are names such as {@code port},
 * {@code other-module.port}, {@code sources.app}, {@code files.config} or {@code host.name} ({@link Reference}).
 */
public final class Template {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*");

    /** A literal piece or a reference. */
    public sealed interface Part permits Literal, Ref {
    }

    /** Text written as is. */
    public record Literal(String text) implements Part {
    }

    /** A {@code ${...}} placeholder. */
    public record Ref(Reference reference) implements Part {
    }

    private final YamlValue source;
    private final List<Part> parts;

    private Template(YamlValue source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** Parses {@code value}'s text; a malformed placeholder is an error at the value's location. */
    public static Template parse(YamlValue value) {
        String text = value.string();
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw value.error("unclosed '${' in " + YamlValue.quoted(text));
                }
                String reference = text.substring(i + 2, end).strip();
                if (!REFERENCE.matcher(reference).matches()) {
                    throw value.error("invalid reference '${" + reference + "}'");
                }
                if (literal.length() > 0) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                try {
                    parts.add(new Ref(Reference.parse(reference)));
                } catch (IllegalArgumentException e) {
                    throw value.error(e.getMessage());
                }
                i = end + 1;
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        return new Template(value, List.copyOf(parts));
    }

    /** The YAML value the template was read from: its location and field name errors. */
    public YamlValue source() {
        return source;
    }

    /** Where the template's own text was written. */
    public Origin origin() {
        return Origin.of(source);
    }

    public List<Part> parts() {
        return parts;
    }

    /** References in order of appearance. */
    public List<Reference> references() {
        return parts.stream().filter(Ref.class::isInstance).map(part -> ((Ref) part).reference()).toList();
    }

    /** The reference this template consists of, when it is one {@code ${...}} and at most white space around it. */
    public Optional<Reference> wholeReference() {
        Reference found = null;
        for (Part part : parts) {
            if (part instanceof Ref ref) {
                if (found != null) {
                    return Optional.empty();
                }
                found = ref.reference();
            } else if (!((Literal) part).text().isBlank()) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(found);
    }
}
