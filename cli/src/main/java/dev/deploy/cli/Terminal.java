package dev.deploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Whether output goes to an interactive terminal that can be redrawn in place, and how large it is. */
final class Terminal {

    /** Rows and columns of a terminal. */
    record Size(int rows, int columns) {
        static final Size FALLBACK = new Size(24, 80);
    }

    private Terminal() {
    }

    /**
     * A live view needs stdout and stderr on a terminal that understands cursor movement: a console is attached
     * (stdin and stdout are terminals), {@code TERM} is set and not {@code dumb}, and stderr is a terminal too.
     */
    static boolean interactive() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.isBlank() && !term.equals("dumb")
                && stderrIsTerminal();
    }

    /** The terminal's size from {@code stty size}; 24 x 80 when it cannot be read (or reads as zero). */
    static Size size() {
        try {
            Process stty = new ProcessBuilder("stty", "size")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!stty.waitFor(2, TimeUnit.SECONDS)) {
                stty.destroyForcibly();
                return Size.FALLBACK;
            }
            String[] parts = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()
                    .split("\\s+");
            if (parts.length == 2) {
                int rows = Integer.parseInt(parts[0]);
                int columns = Integer.parseInt(parts[1]);
                // A pseudo-terminal nobody sized says 0 0.
                return new Size(rows > 0 ? rows : Size.FALLBACK.rows(), columns > 0 ? columns : Size.FALLBACK.columns());
            }
        } catch (IOException | NumberFormatException e) {
            // no stty, or no terminal after all
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Size.FALLBACK;
    }

    /** Linux: fd 2 links to a pseudo-terminal or tty device; elsewhere, trust the console check. */
    private static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (!Files.exists(Path.of("/proc/self/fd"))) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
