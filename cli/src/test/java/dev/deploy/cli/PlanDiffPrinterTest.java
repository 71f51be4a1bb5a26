package dev.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.ServiceSpec;
import dev.deploy.plan.ArtifactDiff;
import dev.deploy.plan.ArtifactRedaction;
import dev.deploy.plan.DesiredGeneration;
import dev.deploy.plan.HostDiffs;
import dev.deploy.plan.HostPlan;
import dev.deploy.plan.HostState;
import dev.deploy.plan.Planner;
import dev.deploy.plan.PreviousVersions;
import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** How plans with diffs read: counts that match the lines, first paths then --full, reasons, incomplete plans. */
class PlanDiffPrinterTest {

    private final Host host = new Host("web1", null, new HostTarget.Local(Path.of("/srv/state")), List.of(),
            List.of(), List.of(), List.of());

    private DesiredGeneration desired(int changed, String unit) {
        MemoryTree site = new MemoryTree();
        for (int i = 0; i < 30; i++) {
            site.file("p" + (100 + i) + ".html", i < changed ? "new " + i : "old " + i, false);
        }
        Artifact source = site.toArtifact("web.site", "path:site");
        Artifact unitArtifact = new MemoryTree().file("web.service", unit, false).toArtifact("web.service", "unit");
        SortedMap<String, Artifact> roots = new TreeMap<>();
        roots.put("source/web.site", source);
        roots.put("unit/web", unitArtifact);
        return DesiredGeneration.of(new EvaluatedHost(host, roots, List.of(new ServiceSpec("web",
                unitArtifact.storePath(), new TreeSet<>(Set.of("source/web.site")), Optional.empty()))));
    }

    private HostPlan plan(DesiredGeneration before, DesiredGeneration after) throws Exception {
        Set<StorePath> store = new HashSet<>();
        Map<StorePath, Map<String, PreviousVersions.FileSum>> files = new HashMap<>();
        Map<StorePath, byte[]> texts = new HashMap<>();
        for (Artifact artifact : before.artifacts()) {
            store.add(artifact.storePath());
            Map<String, PreviousVersions.FileSum> sums = new HashMap<>();
            for (TreeEntry entry : artifact.tree().entries()) {
                if (entry.kind() == TreeEntry.Kind.FILE) {
                    sums.put(entry.path(), new PreviousVersions.FileSum(entry.sha256(), entry.executable()));
                    try (var in = artifact.contents().open(entry)) {
                        texts.put(artifact.storePath(), in.readAllBytes());
                    }
                }
            }
            files.put(artifact.storePath(), sums);
        }
        HostState state = new HostState(Optional.of(4), Optional.of(before.manifest().withNumber(4, "t")),
                List.of(4), store, true, "x86_64", 1);
        HostPlan plan = Planner.plan(host, after, state);
        return plan.withDiff(HostDiffs.compute(plan, new PreviousVersions(files, texts), ArtifactRedaction.NONE));
    }

    private static String print(HostPlan plan, boolean full) {
        StringWriter text = new StringWriter();
        PlanPrinter printer = new PlanPrinter(new PrintWriter(text, true), new Style(true), full);
        printer.print(plan);
        printer.summary(List.of(plan), 0);
        return text.toString();
    }

    @Test
    void changedFilesAreCountedAndTheFirstTenListedUnlessFull() throws Exception {
        HostPlan plan = plan(desired(0, "[Service]\nExecStart=/a\n"), desired(12, "[Service]\nExecStart=/a\n"));
        String text = print(plan, false);
        assertThat(text).contains("      files: 0 added, 0 removed, 12 changed, 0 mode changed\n",
                "        ~ p100.html\n", "        ~ p109.html\n", "        ... 2 more paths (--full shows all)\n",
                "(changed: source/web.site)\n").doesNotContain("p110.html");
        assertThat(print(plan, true)).contains("        ~ p111.html\n").doesNotContain("more paths");
    }

    @Test
    void theUnitIsListedWithItsTextDiffSoTheStorePathsToAddMatchTheLines() throws Exception {
        HostPlan plan = plan(desired(0, "[Service]\nExecStart=/a\n"), desired(1, "[Service]\nExecStart=/b\n"));
        String text = print(plan, false);
        assertThat(text).contains("  ~ unit/web  ", "      -ExecStart=/a\n      +ExecStart=/b\n",
                "(changed: unit, source/web.site)\n", "store paths to add: 2 ");
        assertThat(text.lines().filter(l -> l.matches("  [+~] (source|unit)/.*"))).hasSize(2);
        assertThat(text).contains("Plan: 1 of 1 host to change, 2 store paths to add");
    }

    @Test
    void aSecretIsShownOnlyAsAChangedStorePath() {
        StringWriter text = new StringWriter();
        new PlanDiffPrinter(new PrintWriter(text, true), new Style(true), false)
                .print(new ArtifactDiff.Hidden("file/app.secrets", "a", "b"));
        assertThat(text.toString()).isEqualTo("      (secret: content not shown)\n");
    }

    @Test
    void aVenvShowsVersionChangesWithItsPython() {
        StringWriter text = new StringWriter();
        new PlanDiffPrinter(new PrintWriter(text, true), new Style(true), false).print(new ArtifactDiff.Venv(
                "venv/app.venv", "a", "b", "/usr/bin/python3.11 (cpython 3.11.2 x86_64 glibc 2.36)", "python3.11",
                List.of(new ArtifactDiff.PackageChange("fastapi", "0.110.0", "0.111.0",
                        ArtifactDiff.PackageChange.Kind.UPGRADED))));
        assertThat(text.toString()).contains("python /usr/bin/python3.11 (cpython 3.11.2 x86_64 glibc 2.36)",
                "packages: 0 added, 0 removed, 1 upgraded, 0 downgraded", "        ~ fastapi 0.110.0 -> 0.111.0\n");
    }

    @Test
    void controlCharactersFromFileNamesOrTheHostAreEscapedButTabsKept() {
        StringWriter text = new StringWriter();
        new PlanDiffPrinter(new PrintWriter(text, true), new Style(true), false).print(new ArtifactDiff.Files(
                "source/a.b", "x", "y", List.of(new ArtifactDiff.FileChange("evil\u001b[2Jname",
                        ArtifactDiff.FileChange.Kind.REMOVED))));
        new PlanDiffPrinter(new PrintWriter(text, true), new Style(true), false).print(new ArtifactDiff.Text(
                "file/a.b", "x", "y", "f", List.of("-\tindented\u001b]0;title\u0007")));
        assertThat(text.toString()).contains("- evil\\x1b[2Jname", "      -\tindented\\x1b]0;title\\x07")
                .doesNotContain("\u001b");
    }

    @Test
    void aPlanWhereEveryHostFailedNeverReadsAsNoChanges() {
        StringWriter text = new StringWriter();
        new PlanPrinter(new PrintWriter(text, true), new Style(true)).summary(List.of(), 2);
        assertThat(text.toString()).contains("Plan: incomplete.", "2 of 2 hosts could not be planned")
                .doesNotContain("no changes");
    }
}
