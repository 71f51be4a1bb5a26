package dev.deploy.cli;

import dev.deploy.event.DeployEvent;
import dev.deploy.fleet.Outcome;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The view on an interactive terminal: one status line per host at the bottom of the screen, rewritten in place as
 * events arrive (like colmena's), instead of interleaved lines. Plans are printed above the status lines as they are
 * read. ANSI cursor movement on stderr; lines are cut to the terminal's width so none wraps.
 */
final class LiveStatusView extends ApplyView {

    private static final String ESC = "\u001b[";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final int columns;
    private final int nameWidth;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;

    /** {@code hosts} in rollout order; {@code batchOf} the batch number of each (shown when more than one). */
    LiveStatusView(PrintWriter out, PrintWriter err, Style style, int columns, List<String> hosts,
                   Map<String, Integer> batchOf) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.columns = Math.max(20, columns);
        this.nameWidth = hosts.stream().mapToInt(String::length).max().orElse(4);
        boolean batched = batchOf.values().stream().distinct().count() > 1;
        for (String host : hosts) {
            lines.put(host, batched ? "waiting (batch " + batchOf.get(host) + ")" : "waiting");
        }
    }

    /** Whether {@code hosts} lines fit on a terminal of {@code rows} rows (with room for the prompt). */
    static boolean fits(int hosts, int rows) {
        return hosts <= rows - 2;
    }

    @Override
    void show(DeployEvent event) {
        boolean changed = drawn == 0;
        if (event instanceof DeployEvent.Planned planned && planned.plan().hasChanges()) {
            above(planText(planned.plan(), style));
            changed = true;
        }
        String status = event instanceof DeployEvent.HostFinished finished ? paint(finished.result()) : status(event);
        if (status != null && lines.containsKey(event.host()) && !status.equals(lines.get(event.host()))) {
            lines.put(event.host(), status);
            changed = true;
        }
        if (changed) {
            draw();
        }
    }

    @Override
    public synchronized void close() {
        erase();
        err.flush();
    }

    /** Prints {@code text} on stdout above the status lines. */
    private void above(String text) {
        erase();
        err.flush();
        out.print(text);
        out.flush();
    }

    private void draw() {
        StringBuilder frame = new StringBuilder();
        if (drawn > 0) {
            frame.append(ESC).append(drawn).append('A');
        }
        for (Map.Entry<String, String> line : lines.entrySet()) {
            String name = String.format("%-" + nameWidth + "s", line.getKey());
            frame.append('\r').append(ESC).append("2K").append(cut(name + "  ", line.getValue())).append('\n');
        }
        drawn = lines.size();
        err.print(frame);
        err.flush();
    }

    private void erase() {
        if (drawn > 0) {
            err.print(ESC + drawn + "A\r" + ESC + "J");
            drawn = 0;
        }
    }

    /** {@code prefix + status} cut to the terminal's width (colour codes in the status do not count). */
    private String cut(String prefix, String status) {
        int room = columns - 1 - prefix.length();
        String visible = status.replaceAll("\u001b\\[[0-9;]*m", "");
        if (visible.length() <= room) {
            return prefix + status;
        }
        return prefix + visible.substring(0, Math.max(0, room - 1)) + "…";
    }

    private String paint(String result) {
        for (Outcome outcome : Outcome.values()) {
            if (outcome.label().equals(result)) {
                return outcome.failing() ? style.red(result) : style.green(result);
            }
        }
        return result;
    }
}
