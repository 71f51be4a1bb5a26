package dev.deploy.cli;

import dev.deploy.fleet.ApplyOutcome;
import dev.deploy.fleet.HostResult;
import dev.deploy.fleet.Outcome;
import dev.deploy.fleet.RolloutReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The end of {@code deploy apply} on a terminal or in a log: a table of every host (grouped by batch when the
 * rollout had more than one), a one-line summary on stdout, and one error line per failed host on stderr. Always
 * printed, whatever happened to the hosts.
 */
final class ApplyReport {

    private static final String ROW = "%-20s %-10s %-8s %-9s %-12s %-8s %s%n";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;

    ApplyReport(PrintWriter out, PrintWriter err, Style style) {
        this.out = out;
        this.err = err;
        this.style = style;
    }

    void print(RolloutReport report, ApplyView view, boolean verbose) {
        boolean batched = report.batches().size() > 1;
        out.println();
        out.printf(ROW, "HOST", "GENERATION", "CHANGED", "SENT", "REUSED", "TIME", "RESULT");
        for (RolloutReport.BatchReport batch : report.batches()) {
            if (batched) {
                out.println("-- batch " + batch.batch().number() + " of " + report.batches().size()
                        + (batch.batch().canary() ? " (canary)" : "")
                        + (batch.started() ? "" : ": not started") + " --");
            }
            for (HostResult<ApplyOutcome> result : batch.results()) {
                row(result);
            }
        }
        out.println(summary(report));
        out.flush();
        for (HostResult<ApplyOutcome> result : report.results()) {
            details(result, view);
        }
        HostResults.printErrors(report.results(), err, verbose);
    }

    private void row(HostResult<ApplyOutcome> result) {
        String name = result.host().name();
        Optional<ApplyOutcome> outcome = outcome(result);
        String generation = generation(result);
        if (outcome.isEmpty()) {
            out.printf(ROW, name, generation, "-", "-", "-",
                    result instanceof HostResult.Skipped<?> ? "-" : seconds(result.duration()), label(result));
            return;
        }
        ApplyOutcome value = outcome.get();
        out.printf(ROW, name, generation, value.changed() ? "yes" : "no", Style.bytes(value.transfer().contentBytes()),
                Words.count(value.transfer().filesReused(), "file"), seconds(result.duration()), label(result));
    }

    /** The summary line: counts per outcome, and why the rollout stopped. */
    static String summary(RolloutReport report) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        report.results().forEach(r -> counts.merge(Outcome.of(r), 1, Integer::sum));
        StringJoiner parts = new StringJoiner(", ");
        counts.forEach((outcome, count) -> parts.add(count + " " + outcome.label().replace('-', ' ')));
        String line = "Apply: " + parts + ".";
        if (report.abort().isPresent()) {
            RolloutReport.Abort abort = report.abort().get();
            line += switch (abort.reason()) {
                case CANARY_FAILED -> " Rollout stopped: the canary batch failed.";
                case FAILURE_LIMIT -> " Rollout stopped after batch " + abort.batch() + ": "
                        + Words.count(abort.failures(), "host") + " failed (limit " + abort.limit() + ").";
            };
        }
        return line;
    }

    /** Health lines not already shown live, and what went wrong on hosts whose apply ended but failed. */
    private void details(HostResult<ApplyOutcome> result, ApplyView view) {
        String name = result.host().name();
        Optional<ApplyOutcome> outcome = outcome(result);
        if (outcome.isPresent() && !view.healthShown(name)) {
            for (String check : outcome.get().healthChecks()) {
                if (outcome.get().failure().map(f -> !f.startsWith(check)).orElse(true)) {
                    err.println(name + ": health: " + check);
                }
            }
        }
        if (result instanceof HostResult.Done<ApplyOutcome> done && !done.value().succeeded()) {
            err.println("deploy: error: " + name + ": " + failure(done.value()));
        } else if (result instanceof HostResult.Undone<ApplyOutcome> undone) {
            err.println("deploy: " + name + ": the rollout was aborted; rolled back from generation "
                    + undone.rollback().from() + " to " + undone.rollback().to());
        }
        err.flush();
    }

    /** {@code step: what happened}, the step named the way errors name it. */
    static String failure(ApplyOutcome outcome) {
        String failure = outcome.failure().orElse("");
        if (outcome instanceof ApplyOutcome.RolledBack) {
            return "health check: " + failure;
        }
        if (outcome instanceof ApplyOutcome.Reverted) {
            return "confirm: " + failure;
        }
        return failure;
    }

    private String label(HostResult<ApplyOutcome> result) {
        Outcome outcome = Outcome.of(result);
        return switch (outcome) {
            case UNCHANGED -> "ok (no changes)";
            case APPLIED, OK -> style.green("ok");
            case ROLLED_BACK -> style.red("ROLLED BACK");
            case REVERTED -> style.red("REVERTED (not confirmed)");
            case RESTORED -> style.red("FAILED, RESTORED");
            case NOT_RESTORED -> style.red("FAILED, NOT RESTORED");
            case FAILED -> style.red("FAILED");
            case UNREACHABLE -> style.red("UNREACHABLE");
            case LOCKED -> style.red("LOCKED");
            case SKIPPED -> style.yellow("skipped");
            case ROLLED_BACK_ON_ABORT -> style.yellow("ROLLED BACK (rollout aborted)");
            case UNDO_FAILED -> style.red("NOT ROLLED BACK (rollout aborted)");
        };
    }

    static Optional<ApplyOutcome> outcome(HostResult<ApplyOutcome> result) {
        if (result instanceof HostResult.Done<ApplyOutcome> done) {
            return Optional.of(done.value());
        }
        if (result instanceof HostResult.Undone<ApplyOutcome> undone) {
            return Optional.of(undone.value());
        }
        if (result instanceof HostResult.UndoFailed<ApplyOutcome> undoFailed) {
            return Optional.of(undoFailed.value());
        }
        return Optional.empty();
    }

    /** The generation live on the host at the end; {@code -} when unknown or none. */
    static String generation(HostResult<ApplyOutcome> result) {
        if (result instanceof HostResult.Undone<ApplyOutcome> undone) {
            return String.valueOf(undone.rollback().to());
        }
        return outcome(result).filter(o -> o.liveGeneration() != 0).map(o -> String.valueOf(o.liveGeneration()))
                .orElse("-");
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
