package dev.deploy.cli;

import dev.deploy.event.DeployEvent;
import java.io.PrintWriter;

/**
 * The view when output is not an interactive terminal (a CI log, a pipe): plain lines, one per thing that happened,
 * each starting with the host's name ({@code web1: sent 12/40 files, 1.2 MiB of 3.4 MiB}); plans on stdout.
 */
final class PlainProgressView extends ApplyView {

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;
    private final int batches;

    /** {@code batches}: how many batches the rollout has (batch lines are shown only when more than one). */
    PlainProgressView(PrintWriter out, PrintWriter err, Style style, int batches) {
        this.out = out;
        this.err = err;
        this.style = style;
        this.batches = batches;
    }

    @Override
    void show(DeployEvent event) {
        if (event instanceof DeployEvent.Planned planned) {
            if (planned.plan().hasChanges()) {
                err.flush();
                out.print(planText(planned.plan(), style));
                out.flush();
            }
            return;
        }
        String line = null;
        if (event instanceof DeployEvent.BatchStarted batch && batches > 1) {
            line = "batch " + batch.number() + " of " + batches + ": " + String.join(", ", batch.hosts());
        } else if (event instanceof DeployEvent.BatchFinished batch && batches > 1 && !batch.failed().isEmpty()) {
            line = "batch " + batch.number() + " of " + batches + ": failed: " + String.join(", ", batch.failed());
        } else if (event instanceof DeployEvent.TransferProgress progress) {
            line = event.host() + ": " + progress(progress);
        } else if (event instanceof DeployEvent.HealthChecked health) {
            line = event.host() + ": health: " + health.detail();
        } else if (event instanceof DeployEvent.HostFinished finished) {
            line = event.host() + ": " + finished.result();
        } else if (event instanceof DeployEvent.Switched || event instanceof DeployEvent.Confirmed
                || event instanceof DeployEvent.RolledBack) {
            line = event.host() + ": " + status(event);
        }
        if (line != null) {
            out.flush();
            err.println(line);
            err.flush();
        }
    }
}
