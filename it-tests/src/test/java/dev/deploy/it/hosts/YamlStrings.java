package dev.deploy.it.hosts;

import java.util.List;
import java.util.stream.Collectors;

/** Writes test values into inventories: any string as a YAML double-quoted scalar, lists as flow sequences. */
public final class YamlStrings {

    private YamlStrings() {
    }

    /** {@code value} as a double-quoted YAML scalar that reads back exactly (control characters escaped). */
    public static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code values} as a YAML flow sequence of double-quoted scalars. */
    public static String list(List<String> values) {
        return values.stream().map(YamlStrings::quoted).collect(Collectors.joining(", ", "[", "]"));
    }
}
