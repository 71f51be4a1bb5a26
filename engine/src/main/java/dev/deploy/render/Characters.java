package dev.deploy.render;

/** Finds and names characters that targets treat specially. */
public final class Characters {

    private Characters() {
    }

    /**
     * Whether {@code c} is a control character: C0 (U+0000 to U+001F, which includes the line ends systemd reads:
     * LF, CR and NUL), DEL, or C1 (U+0080 to U+009F).
     */
    public static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
    }

    /** The index of the first control character or unpaired surrogate in {@code text}, or -1. */
    public static int firstForbidden(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                return i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code U+000D (carriage return)}, for messages. */
    public static String describe(char c) {
        String name = switch (c) {
            case '\n' -> " (line feed)";
            case '\r' -> " (carriage return)";
            case '\0' -> " (NUL)";
            case '\t' -> " (tab)";
            default -> Character.isSurrogate(c) ? " (unpaired surrogate)" : "";
        };
        return String.format("U+%04X", (int) c) + name;
    }
}
