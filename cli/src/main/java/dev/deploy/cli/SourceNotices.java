package dev.deploy.cli;

import dev.deploy.DeployException;
import dev.deploy.cli.json.Notice;
import dev.deploy.fleet.Deployment;
import dev.deploy.inventory.HostTarget;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.source.PathSourceReader;
import dev.deploy.source.SourceNotice;
import dev.deploy.store.Artifact;
import dev.deploy.Location;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders the engine's {@link SourceNotice}s: one line each on stderr, or objects in {@code --json}. */
final class SourceNotices {

    private SourceNotices() {
    }

    /** The run's notices, plus (with {@code --frozen}) a warning per SSH host that gets a working tree. */
    static List<Line> of(Deployment deployment, boolean frozen) {
        List<Line> lines = new ArrayList<>();
        for (SourceNotice notice : deployment.sources().notices()) {
            lines.add(new Line(notice.isWarning(), kind(notice), notice.declaredAt(), null, notice.source(),
                    message(notice)));
        }
        if (frozen) {
            for (EvaluatedHost host : deployment.evaluateAll().values()) {
                if (host.host().target() instanceof HostTarget.Local) {
                    continue;
                }
                for (Map.Entry<String, Artifact> root : host.roots().entrySet()) {
                    if (root.getKey().startsWith("source/")
                            && root.getValue().origin().endsWith(PathSourceReader.WORKING_TREE)) {
                        lines.add(new Line(true, "working-tree-on-host", null, host.host().name(),
                                root.getKey(), "gets " + root.getValue().origin()
                                + ": not pinned by the lock file (--frozen); use a git source for this host"));
                    }
                }
            }
        }
        return lines;
    }

    /** One rendered notice; {@code location} is where the source is declared (null when unknown). */
    record Line(boolean warning, String kind, Location location, String host, String source, String message) {

        String text() {
            StringBuilder out = new StringBuilder("deploy: ").append(warning ? "warning: " : "note: ");
            if (location != null) {
                out.append(location).append(": ");
            }
            if (host != null) {
                out.append(host).append(": ");
            }
            out.append(source).append(": ").append(message);
            return DeployException.oneLine(out.toString());
        }

        Notice json() {
            boolean positioned = location != null && location.line() > 0;
            return new Notice(warning ? "warning" : "note", kind, location == null ? null : location.toString(),
                    location == null ? null : location.file(), positioned ? location.line() : null,
                    positioned ? location.column() : null, host, source, message);
        }
    }

    static void print(PrintWriter err, List<Line> lines) {
        lines.forEach(line -> err.println(line.text()));
    }

    static List<Notice> json(List<Line> lines) {
        return lines.stream().map(Line::json).toList();
    }

    private static String kind(SourceNotice notice) {
        if (notice instanceof SourceNotice.UnmatchedExclude) {
            return "unmatched-exclude";
        } else if (notice instanceof SourceNotice.ControllerPathExcluded) {
            return "controller-path-excluded";
        } else if (notice instanceof SourceNotice.PinAdded) {
            return "pin-added";
        } else if (notice instanceof SourceNotice.UpstreamMoved) {
            return "upstream-moved";
        } else if (notice instanceof SourceNotice.UpstreamRefGone) {
            return "upstream-ref-gone";
        } else if (notice instanceof SourceNotice.UpstreamUnchecked) {
            return "upstream-unchecked";
        }
        return "tree-hash-corrected";
    }

    static String message(SourceNotice notice) {
        if (notice instanceof SourceNotice.UnmatchedExclude n) {
            return "exclude pattern '" + n.pattern() + "' matched nothing";
        } else if (notice instanceof SourceNotice.ControllerPathExcluded n) {
            return "left out '" + n.path() + "', " + n.what()
                    + " (deploy writes it during runs; deploying it would copy it into every new store path;"
                    + " exclude '/" + n.path() + "' to say so)";
        } else if (notice instanceof SourceNotice.PinAdded n) {
            return "pinned " + n.resolvedRef() + " @ " + n.commit() + " (added to deploy.lock)";
        } else if (notice instanceof SourceNotice.UpstreamMoved n) {
            return "upstream " + n.resolvedRef() + " moved to " + n.upstream() + "; still deploying the pinned "
                    + n.pinned() + " (deploy lock --update moves the pin)";
        } else if (notice instanceof SourceNotice.UpstreamRefGone n) {
            return "upstream no longer has " + n.resolvedRef() + "; still deploying the pinned " + n.pinned()
                    + " (deploy lock --update would fail)";
        } else if (notice instanceof SourceNotice.UpstreamUnchecked n) {
            return "could not check whether upstream moved: " + n.reason();
        }
        SourceNotice.TreeHashCorrected n = (SourceNotice.TreeHashCorrected) notice;
        return "commit " + n.commit() + " gives tree " + n.now() + ", the lock said " + n.locked()
                + "; lock corrected";
    }
}
