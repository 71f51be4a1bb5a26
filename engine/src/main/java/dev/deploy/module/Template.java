package dev.deploy.module;

import dev.deploy.yaml.YamlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Text with {@code ${reference}} placeholders; {@code $${} writes a literal {@code ${}. References are names such
 * as {@code port}, {@code other-module.port}, {@code sources.app}, {@code files.config} or {@code host.name}.
 */
public final class Template {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*");

    /** A literal piece or a reference. */
    private record Part(String text, boolean reference) {
    }

    private final List<Part> parts;

    private Template(List<Part> parts) {
        this.parts = parts;
    }

    /** Parses {@code value}'s text; malformed placeholders are errors at the value's location. */
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
                    throw value.error("unclosed '${' in \"" + text + "\"");
                }
                String reference = text.substring(i + 2, end).strip();
                if (!REFERENCE.matcher(reference).matches()) {
                    throw value.error("invalid reference '${" + reference + "}'");
                }
                if (literal.length() > 0) {
                    parts.add(new Part(literal.toString(), false));
                    literal.setLength(0);
                }
                parts.add(new Part(reference, true));
                i = end + 1;
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), false));
        }
        return new Template(List.copyOf(parts));
    }

    /** References in order of appearance. */
    public List<String> references() {
        return parts.stream().filter(Part::reference).map(Part::text).toList();
    }

    /** The text with each reference replaced by {@code lookup}'s answer. */
    public String render(Function<String, String> lookup) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.reference() ? lookup.apply(part.text()) : part.text());
        }
        return out.toString();
    }
}
