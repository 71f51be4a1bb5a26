package dev.deploy.cli.json;

import dev.deploy.plan.ArtifactDiff;
import dev.deploy.plan.HostDiff;
import dev.deploy.plan.ServiceReason;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code diff} of a host in {@code deploy plan --json}: the same facts the text shows, never truncated. Kinds:
 * {@code files} (counts and every path), {@code text} (unified diff lines), {@code venv} (packages), {@code hidden}
 * (a secret: only its store paths) and {@code unknown} (with the reason).
 */
public record PlanDiffJson(List<Change> units, List<Artifact> artifacts, List<Service> services, Sending sending) {

    /** What the delta transfer sends (files, content bytes) and links from the host's earlier versions. */
    public record Sending(int files, long bytes, int linked) {
    }

    /** A unit added, changed or removed ({@code unit/SERVICE}), like the plan's roots. */
    public record Change(String role, String change, String from, String to) {
    }

    public record Artifact(String role, String kind, String from, String to, Map<String, Long> counts, List<File> files,
                    String fileName, List<String> lines, String python, String previousPython,
                    List<Package> packages, String reason) {
    }

    public record File(String path, String change) {
    }

    public record Package(String name, String from, String to, String change) {
    }

    public record Service(String service, String action, List<String> because) {
    }

    public static PlanDiffJson of(HostDiff diff) {
        return new PlanDiffJson(
                diff.unitChanges().stream().map(c -> new Change(c.role(), word(c.change()), c.from(), c.to()))
                        .toList(),
                diff.artifacts().stream().map(PlanDiffJson::artifact).toList(),
                diff.services().stream().map(PlanDiffJson::service).toList(),
                diff.sending().map(s -> new Sending(s.files(), s.bytes(), s.linked())).orElse(null));
    }

    private static Service service(ServiceReason reason) {
        return new Service(reason.service(), word(reason.action()), reason.because());
    }

    private static Artifact artifact(ArtifactDiff diff) {
        if (diff instanceof ArtifactDiff.Files files) {
            Map<String, Long> counts = new TreeMap<>();
            for (ArtifactDiff.FileChange.Kind kind : ArtifactDiff.FileChange.Kind.values()) {
                counts.put(word(kind), files.count(kind));
            }
            return new Artifact(diff.role(), "files", diff.from(), diff.to(), counts,
                    files.changes().stream().map(c -> new File(c.path(), word(c.kind()))).toList(), null, null, null,
                    null, null, null);
        }
        if (diff instanceof ArtifactDiff.Text text) {
            return new Artifact(diff.role(), "text", diff.from(), diff.to(), null, null, text.fileName(),
                    text.lines(), null, null, null, null);
        }
        if (diff instanceof ArtifactDiff.Venv venv) {
            Map<String, Long> counts = new TreeMap<>();
            for (ArtifactDiff.PackageChange.Kind kind : ArtifactDiff.PackageChange.Kind.values()) {
                counts.put(word(kind), venv.count(kind));
            }
            return new Artifact(diff.role(), "venv", diff.from(), diff.to(), counts, null, null, null, venv.python(),
                    venv.previousPython(), venv.changes().stream()
                    .map(p -> new Package(p.name(), p.from(), p.to(), word(p.kind()))).toList(), null);
        }
        if (diff instanceof ArtifactDiff.Unknown unknown) {
            return new Artifact(diff.role(), "unknown", diff.from(), diff.to(), null, null, null, null, null, null,
                    null, unknown.reason());
        }
        return new Artifact(diff.role(), "hidden", diff.from(), diff.to(), null, null, null, null, null, null, null,
                null);
    }

    /** {@code MODE_CHANGED} as {@code mode-changed}. */
    static String word(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
