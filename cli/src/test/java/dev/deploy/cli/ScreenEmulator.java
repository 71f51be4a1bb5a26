package dev.deploy.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A small terminal emulator for the tests of the live view: applies text, {@code \r}, {@code \n} and the ANSI
 * sequences the view uses (cursor up {@code ESC[nA}, erase line {@code ESC[2K}, erase below {@code ESC[J}) to a
 * screen of lines, and returns what a terminal would show at the end.
 */
final class ScreenEmulator {

    private ScreenEmulator() {
    }

    static List<String> render(String output) {
        List<StringBuilder> screen = new ArrayList<>();
        screen.add(new StringBuilder());
        int row = 0;
        int column = 0;
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '\u001b' && i + 1 < output.length() && output.charAt(i + 1) == '[') {
                int end = i + 2;
                while (!Character.isLetter(output.charAt(end))) {
                    end++;
                }
                String argument = output.substring(i + 2, end);
                switch (output.charAt(end)) {
                    case 'A' -> row = Math.max(0, row - Integer.parseInt(argument));
                    case 'K' -> screen.get(row).setLength(0);
                    case 'J' -> {
                        screen.get(row).setLength(column);
                        while (screen.size() > row + 1) {
                            screen.remove(screen.size() - 1);
                        }
                    }
                    case 'm' -> { }
                    default -> throw new AssertionError("unexpected escape sequence " + output.substring(i, end + 1));
                }
                i = end;
            } else if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                row++;
                column = 0;
                while (screen.size() <= row) {
                    screen.add(new StringBuilder());
                }
            } else {
                StringBuilder line = screen.get(row);
                while (line.length() < column) {
                    line.append(' ');
                }
                if (column < line.length()) {
                    line.setCharAt(column, c);
                } else {
                    line.append(c);
                }
                column++;
            }
        }
        List<String> lines = new ArrayList<>();
        screen.forEach(line -> lines.add(line.toString()));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
