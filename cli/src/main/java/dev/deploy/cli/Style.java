package dev.deploy.cli;

import java.util.Locale;
import picocli.CommandLine.Help.Ansi;

/** Terminal styling (colour only on a terminal, never with --no-color or NO_COLOR) and human-readable sizes. */
final class Style {

    private final Ansi ansi;

    Style(boolean noColor) {
        boolean off = noColor || System.getenv("NO_COLOR") != null || System.console() == null;
        this.ansi = off ? Ansi.OFF : Ansi.ON;
    }

    String green(String text) {
        return paint("green", text);
    }

    String yellow(String text) {
        return paint("yellow", text);
    }

    String red(String text) {
        return paint("red", text);
    }

    String bold(String text) {
        return paint("bold", text);
    }

    private String paint(String style, String text) {
        if (ansi == Ansi.OFF) {
            return text;
        }
        return ansi.string("@|" + style + " " + text.replace("|@", "| @") + "|@");
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
