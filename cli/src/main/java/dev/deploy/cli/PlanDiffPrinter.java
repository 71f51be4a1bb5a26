package dev.deploy.cli;

import dev.deploy.plan.ArtifactDiff;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.ServiceReason;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints what changes inside an artifact under its plan line: files added (+), removed (-), changed (~) or
 * mode-changed (m) with counts and the first {@value #FIRST} paths; the unified diff of a rendered file or unit (at
 * most {@value #TEXT_LINES} lines); a venv's packages added, removed, upgraded and downgraded; nothing but the store
 * paths of a secret. {@code full} prints every path and line.
 */
final class PlanDiffPrinter {

    static final int FIRST = 10;
    static final int TEXT_LINES = 60;
    private static final String INDENT = "      ";

    private final PrintWriter out;
    private final Style style;
    private final boolean full;

    PlanDiffPrinter(PrintWriter out, Style style, boolean full) {
        this.out = out;
        this.style = style;
        this.full = full;
    }

    /** The plan's lines: its root changes, then its units added, changed or removed ({@code unit/SERVICE}). */
    static List<HostPlan.RootChange> changes(HostPlan plan) {
        List<HostPlan.RootChange> all = new java.util.ArrayList<>(plan.rootChanges());
        plan.diff().ifPresent(diff -> all.addAll(diff.unitChanges()));
        return all;
    }

    /** Prints the diff of {@code role} in {@code plan}, if it has one. */
    void print(HostPlan plan, String role) {
        plan.diff().flatMap(d -> d.artifact(role)).ifPresent(this::print);
    }

    /** Whether the venv in {@code role} has a package diff against the host's venv (else the full list is shown). */
    static boolean hasPackageDiff(HostPlan plan, String role) {
        return plan.diff().flatMap(d -> d.artifact(role))
                .filter(a -> a instanceof ArtifactDiff.Venv venv && venv.from() != null).isPresent();
    }

    void print(ArtifactDiff diff) {
        if (diff instanceof ArtifactDiff.Files files) {
            files(files);
        } else if (diff instanceof ArtifactDiff.Text text) {
            text(text);
        } else if (diff instanceof ArtifactDiff.Venv venv) {
            venv(venv);
        } else if (diff instanceof ArtifactDiff.Hidden) {
            out.println(INDENT + "(secret: content not shown)");
        } else if (diff instanceof ArtifactDiff.Unknown unknown) {
            out.println(INDENT + "content diff not known: " + printable(unknown.reason()));
        }
    }

    private void files(ArtifactDiff.Files files) {
        out.println(INDENT + "files: " + files.count(ArtifactDiff.FileChange.Kind.ADDED) + " added, "
                + files.count(ArtifactDiff.FileChange.Kind.REMOVED) + " removed, "
                + files.count(ArtifactDiff.FileChange.Kind.CHANGED) + " changed, "
                + files.count(ArtifactDiff.FileChange.Kind.MODE_CHANGED) + " mode changed");
        if (files.from() == null && !full) {
            return; // a new root: every file is added; the count says it
        }
        List<ArtifactDiff.FileChange> changes = files.changes();
        int shown = full ? changes.size() : Math.min(FIRST, changes.size());
        for (ArtifactDiff.FileChange change : changes.subList(0, shown)) {
            String path = printable(dev.deploy.store.FileNames.display(change.path()));
            String line = switch (change.kind()) {
                case ADDED -> style.green("+ ") + path;
                case REMOVED -> style.red("- ") + path;
                case CHANGED -> style.yellow("~ ") + path;
                case MODE_CHANGED -> style.yellow("m ") + path + " (executable bit)";
            };
            out.println(INDENT + "  " + line);
        }
        more(changes.size() - shown, "path");
    }

    private void text(ArtifactDiff.Text text) {
        if (text.lines().isEmpty()) {
            out.println(INDENT + "text unchanged");
            return;
        }
        List<String> lines = text.lines();
        int shown = full ? lines.size() : Math.min(TEXT_LINES, lines.size());
        for (String line : lines.subList(0, shown)) {
            String printable = printable(line);
            out.println(INDENT + (line.startsWith("+") ? style.green(printable)
                    : line.startsWith("-") ? style.red(printable)
                    : line.startsWith("@@") ? style.bold(printable) : printable));
        }
        more(lines.size() - shown, "line");
    }

    private void venv(ArtifactDiff.Venv venv) {
        if (venv.from() == null) {
            return; // a new venv: its full package list is printed by the plan
        }
        out.println(INDENT + "python " + printable(venv.python()) + (venv.previousPython() == null ? ""
                : " (the host's venv has " + venv.previousPython() + ")"));
        out.println(INDENT + "packages: " + venv.count(ArtifactDiff.PackageChange.Kind.ADDED) + " added, "
                + venv.count(ArtifactDiff.PackageChange.Kind.REMOVED) + " removed, "
                + venv.count(ArtifactDiff.PackageChange.Kind.UPGRADED) + " upgraded, "
                + venv.count(ArtifactDiff.PackageChange.Kind.DOWNGRADED) + " downgraded");
        for (ArtifactDiff.PackageChange change : venv.changes()) {
            out.println(INDENT + "  " + switch (change.kind()) {
                case ADDED -> style.green("+ " + change.name() + " " + change.to());
                case REMOVED -> style.red("- " + change.name() + " " + change.from());
                case UPGRADED -> style.yellow("~ " + change.name() + " " + change.from() + " -> " + change.to());
                case DOWNGRADED -> style.yellow("~ " + change.name() + " " + change.from() + " -> " + change.to()
                        + " (downgrade)");
            });
        }
    }

    private void more(int hidden, String what) {
        if (hidden > 0) {
            out.println(INDENT + "  ... " + hidden + " more " + what + (hidden == 1 ? "" : "s") + " (--full shows all)");
        }
    }

    /**
     * {@code ; to send: 1 file, 30 B (499 copied on the host from its earlier versions)}, when known; with a cache,
     * {@code ; to fetch from the cache: ...} or {@code ; to send: ... (cache: off for this host)}.
     */
    static String sending(HostPlan plan, ContentRoute route) {
        return plan.diff().flatMap(dev.deploy.plan.HostDiff::sending).map(s -> (route == ContentRoute.CACHE
                ? "; to fetch from the cache: " : "; to send: ") + s.files()
                + (s.files() == 1 ? " file, " : " files, ") + Style.bytes(s.bytes())
                + (s.linked() == 0 ? "" : " (" + s.linked() + " copied on the host from its earlier versions)")
                + (route == ContentRoute.CACHE_OFF ? " (cache: off for this host)" : ""))
                .orElse(route == ContentRoute.CACHE ? "; fetched from the cache" : "");
    }

    /**
     * Why a service acts, for its line: {@code   (changed: unit, source/app.src)} for the inputs that changed, the
     * other reasons as they are ({@code   (new service)}); nothing without a diff.
     */
    static String because(HostPlan plan, String service) {
        return plan.diff().flatMap(d -> d.reason(service)).map(ServiceReason::because).filter(b -> !b.isEmpty())
                .map(because -> {
                    List<String> inputs = because.stream().filter(PlanDiffPrinter::isInput).toList();
                    // "was inactive" (drift a start repairs) is on the service's line already
                    List<String> parts = new java.util.ArrayList<>(because.stream().filter(b -> !isInput(b))
                            .filter(b -> !b.startsWith("was ")).toList());
                    if (!inputs.isEmpty()) {
                        parts.add("changed: " + String.join(", ", inputs));
                    }
                    return parts.isEmpty() ? "" : "  (" + printable(String.join("; ", parts)) + ")";
                }).orElse("");
    }

    private static boolean isInput(String reason) {
        return reason.equals("unit") || (reason.contains("/") && !reason.contains(" "));
    }

    /**
     * {@code text} safe for a terminal: control characters other than tab (from file names, or from what a host
     * returned) are shown escaped, never sent raw.
     */
    static String printable(String text) {
        String[] parts = text.split("\t", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = dev.deploy.DeployException.oneLine(parts[i]);
        }
        return String.join("\t", parts);
    }
}
