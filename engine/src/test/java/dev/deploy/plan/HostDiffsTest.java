package dev.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.inventory.Host;
import dev.deploy.inventory.HostTarget;
import dev.deploy.module.EvaluatedHost;
import dev.deploy.module.ServiceSpec;
import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import dev.deploy.venv.VenvReport;
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

class HostDiffsTest {

    private final Host host = new Host("h1", null, new HostTarget.Local(Path.of("/tmp/x")), List.of(), List.of(),
            List.of(), List.of());

    private static MemoryTree site(int files, int changed) {
        MemoryTree tree = new MemoryTree();
        for (int i = 0; i < files; i++) {
            tree.file("pages/p" + i + ".html", i == changed ? "changed\n" : "page " + i + "\n", false);
        }
        return tree;
    }

    private DesiredGeneration desired(MemoryTree site, String unitText, String config) {
        Artifact source = site.toArtifact("web.site", "path:site");
        Artifact file = new MemoryTree().file("app.conf", config, false).toArtifact("web.conf", "file web.conf");
        Artifact unit = new MemoryTree().file("web.service", unitText, false).toArtifact("web.service", "unit web");
        SortedMap<String, Artifact> roots = new TreeMap<>();
        roots.put("source/web.site", source);
        roots.put("file/web.conf", file);
        roots.put("unit/web", unit);
        return DesiredGeneration.of(new EvaluatedHost(host, roots, List.of(new ServiceSpec("web", unit.storePath(),
                new TreeSet<>(Set.of("source/web.site", "file/web.conf")), Optional.empty()))));
    }

    private static HostState after(DesiredGeneration applied) {
        Set<StorePath> store = new HashSet<>();
        applied.artifacts().forEach(a -> store.add(a.storePath()));
        return new HostState(Optional.of(1), Optional.of(applied.manifest().withNumber(1, "t")), List.of(1), store,
                true, "x86_64", 1);
    }

    /** What the host would return for {@code applied}'s store paths: their checksum lists and texts. */
    private static PreviousVersions previous(DesiredGeneration applied) {
        Map<StorePath, Map<String, PreviousVersions.FileSum>> files = new HashMap<>();
        Map<StorePath, byte[]> texts = new HashMap<>();
        for (Artifact artifact : applied.artifacts()) {
            Map<String, PreviousVersions.FileSum> sums = new HashMap<>();
            for (TreeEntry entry : artifact.tree().entries()) {
                if (entry.kind() == TreeEntry.Kind.FILE) {
                    sums.put(entry.path(), new PreviousVersions.FileSum(entry.sha256(), entry.executable()));
                    try (var in = artifact.contents().open(entry)) {
                        texts.put(artifact.storePath(), in.readAllBytes());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            files.put(artifact.storePath(), sums);
        }
        return new PreviousVersions(files, texts);
    }

    @Test
    void aOneLineChangeInA500FileSourceShowsExactlyThatPath() {
        DesiredGeneration before = desired(site(500, -1), "unit\n", "a=1\n");
        DesiredGeneration after = desired(site(500, 137), "unit\n", "a=1\n");
        HostPlan plan = Planner.plan(host, after, after(before));
        HostDiff diff = HostDiffs.compute(plan, previous(before), ArtifactRedaction.NONE);
        ArtifactDiff.Files files = (ArtifactDiff.Files) diff.artifact("source/web.site").orElseThrow();
        assertThat(files.changes()).containsExactly(new ArtifactDiff.FileChange("pages/p137.html",
                ArtifactDiff.FileChange.Kind.CHANGED));
        assertThat(diff.services()).containsExactly(new ServiceReason("web", HostPlan.ServiceAction.RESTART,
                List.of("source/web.site")));
    }

    @Test
    void filesAddedRemovedAndModeChangedAreTold() {
        DesiredGeneration before = desired(site(3, -1).file("run.sh", "x", false).file("old.txt", "o", false),
                "unit\n", "a=1\n");
        DesiredGeneration after = desired(site(3, -1).file("run.sh", "x", true).file("new.txt", "n", false),
                "unit\n", "a=1\n");
        HostDiff diff = HostDiffs.compute(Planner.plan(host, after, after(before)), previous(before),
                ArtifactRedaction.NONE);
        ArtifactDiff.Files files = (ArtifactDiff.Files) diff.artifact("source/web.site").orElseThrow();
        assertThat(files.changes()).containsExactly(
                new ArtifactDiff.FileChange("new.txt", ArtifactDiff.FileChange.Kind.ADDED),
                new ArtifactDiff.FileChange("old.txt", ArtifactDiff.FileChange.Kind.REMOVED),
                new ArtifactDiff.FileChange("run.sh", ArtifactDiff.FileChange.Kind.MODE_CHANGED));
    }

    @Test
    void aChangedSymlinkTargetAndANewDirectoryAreChangesWhenTheHostsListHasThem() {
        dev.deploy.store.Tree tree = new dev.deploy.store.Tree(List.of(TreeEntry.directory("assets"),
                TreeEntry.directory("cache"), TreeEntry.symlink("current", "v2"), TreeEntry.symlink("same", "x"),
                TreeEntry.file("assets/a.css", false, 1, "1".repeat(64))));
        Artifact artifact = new Artifact(StorePath.of("site", tree), tree, entry -> {
            throw new java.io.IOException("not read");
        }, "path:site");
        Map<String, PreviousVersions.FileSum> files = Map.of("assets/a.css",
                new PreviousVersions.FileSum("1".repeat(64), false));
        Map<String, String> others = Map.of("assets", "d", "current", "l v1", "same", "l x", "old", "d");
        assertThat(HostDiffs.files(files, others, artifact)).containsExactly(
                new ArtifactDiff.FileChange("cache/", ArtifactDiff.FileChange.Kind.ADDED),
                new ArtifactDiff.FileChange("current", ArtifactDiff.FileChange.Kind.CHANGED),
                new ArtifactDiff.FileChange("old/", ArtifactDiff.FileChange.Kind.REMOVED));
    }

    @Test
    void renderedFilesAndUnitsGetAUnifiedDiffAndTheUnitIsListedAsAChange() {
        DesiredGeneration before = desired(site(1, -1), "[Service]\nExecStart=/bin/a\nUser=web\n", "a=1\nb=2\n");
        DesiredGeneration after = desired(site(1, -1), "[Service]\nExecStart=/bin/b\nUser=web\n", "a=1\nb=3\n");
        HostPlan plan = Planner.plan(host, after, after(before));
        HostDiff diff = HostDiffs.compute(plan, previous(before), ArtifactRedaction.NONE);
        assertThat(diff.unitChanges()).extracting(HostPlan.RootChange::role).containsExactly("unit/web");
        ArtifactDiff.Text unit = (ArtifactDiff.Text) diff.artifact("unit/web").orElseThrow();
        assertThat(unit.lines()).containsExactly("@@ -1,3 +1,3 @@", " [Service]", "-ExecStart=/bin/a",
                "+ExecStart=/bin/b", " User=web");
        ArtifactDiff.Text conf = (ArtifactDiff.Text) diff.artifact("file/web.conf").orElseThrow();
        assertThat(conf.lines()).contains("-b=2", "+b=3");
        assertThat(diff.reason("web").orElseThrow().because()).containsExactly("unit", "file/web.conf");
    }

    @Test
    void aHiddenArtifactIsNeitherReadFromTheHostNorShownAndRedactionAppliesToEveryLine() {
        DesiredGeneration before = desired(site(1, -1), "Environment=TOKEN=old\n", "password=old\n");
        DesiredGeneration after = desired(site(1, -1), "Environment=TOKEN=new\n", "password=new\n");
        HostPlan plan = Planner.plan(host, after, after(before));
        ArtifactRedaction secrets = new ArtifactRedaction() {
            @Override
            public boolean hides(String role) {
                return role.equals("file/web.conf");
            }

            @Override
            public String redact(String role, String line) {
                return line.replaceAll("TOKEN=\\w+", "TOKEN=<secret>");
            }
        };
        HostDiffs.Wanted wanted = HostDiffs.wanted(plan, secrets);
        assertThat(wanted.texts()).containsExactly(StorePath.parse(plan.current().orElseThrow().services().get("web")
                .unit()));
        HostDiff diff = HostDiffs.compute(plan, previous(before), secrets);
        assertThat(diff.artifact("file/web.conf").orElseThrow()).isInstanceOf(ArtifactDiff.Hidden.class);
        ArtifactDiff.Text unit = (ArtifactDiff.Text) diff.artifact("unit/web").orElseThrow();
        assertThat(String.join("\n", unit.lines())).doesNotContain("old").doesNotContain("new")
                .contains("TOKEN=<secret>");
    }

    @Test
    void withoutAChecksumListTheDiffSaysItIsNotKnown() {
        DesiredGeneration before = desired(site(2, -1), "u\n", "c\n");
        DesiredGeneration after = desired(site(2, 1), "u\n", "c\n");
        HostDiff diff = HostDiffs.compute(Planner.plan(host, after, after(before)), PreviousVersions.NONE,
                ArtifactRedaction.NONE);
        assertThat(diff.artifact("source/web.site").orElseThrow()).isInstanceOf(ArtifactDiff.Unknown.class);
    }

    @Test
    void aNewHostListsEveryFileAsAddedAndEveryServiceAsNew() {
        DesiredGeneration after = desired(site(4, -1), "u\n", "c\n");
        HostPlan plan = Planner.plan(host, after, new HostState(Optional.empty(), Optional.empty(), List.of(),
                Set.of(), true, "x86_64", 1));
        HostDiff diff = HostDiffs.compute(plan, PreviousVersions.NONE, ArtifactRedaction.NONE);
        assertThat(((ArtifactDiff.Files) diff.artifact("source/web.site").orElseThrow()).count(
                ArtifactDiff.FileChange.Kind.ADDED)).isEqualTo(4);
        assertThat(diff.unitChanges()).extracting(HostPlan.RootChange::change)
                .containsExactly(HostPlan.Change.ADD);
        assertThat(diff.reason("web").orElseThrow().because()).containsExactly("new service");
        assertThat(HostDiffs.wanted(plan, ArtifactRedaction.NONE).isEmpty()).isTrue();
    }

    @Test
    void aVenvBumpShowsTheVersionChangeFromTheHostsDistInfoDirectories() {
        DesiredGeneration base = desired(site(1, -1), "u\n", "c\n");
        StorePath oldVenv = StorePath.parse("a".repeat(32) + "-app.venv");
        StorePath newVenv = StorePath.parse("b".repeat(32) + "-app.venv");
        SortedMap<String, String> oldRoots = new TreeMap<>(base.manifest().roots());
        oldRoots.put("venv/app.venv", oldVenv.toString());
        SortedMap<String, String> newRoots = new TreeMap<>(base.manifest().roots());
        newRoots.put("venv/app.venv", newVenv.toString());
        GenerationManifest current = new GenerationManifest(1, 1, "t", "h1", oldRoots, new TreeMap<>(),
                base.manifest().services());
        GenerationManifest next = new GenerationManifest(1, 0, null, "h1", newRoots, new TreeMap<>(),
                base.manifest().services());
        VenvReport report = new VenvReport("venv/app.venv", newVenv.toString(),
                "/usr/bin/python3.11 (cpython 3.11.2 x86_64 glibc 2.36)", List.of(
                        new VenvReport.PackageLine("FastAPI", "0.111.0", "fastapi-0.111.0-py3-none-any.whl",
                                VenvReport.Via.LOCK_WHEEL),
                        new VenvReport.PackageLine("typing-extensions", "4.8.0", "t.whl", VenvReport.Via.LOCK_WHEEL),
                        new VenvReport.PackageLine("anyio", "4.0.0", "a.whl", VenvReport.Via.LOCK_WHEEL)),
                List.of(), List.of(), List.of(), 0, 0);
        DesiredGeneration desired = new DesiredGeneration(next, base.artifacts(), List.of(report));
        Set<StorePath> store = new HashSet<>(next.storePaths());
        store.remove(newVenv);
        store.add(oldVenv);
        HostPlan plan = Planner.plan(host, desired, new HostState(Optional.of(1), Optional.of(current), List.of(1),
                store, true, "x86_64", 1));
        assertThat(HostDiffs.wanted(plan, ArtifactRedaction.NONE).files()).containsExactly(oldVenv);
        String site = "lib/python3.11/site-packages/";
        Map<String, PreviousVersions.FileSum> old = new HashMap<>();
        for (String path : List.of("fastapi-0.110.0.dist-info/METADATA", "fastapi/__init__.py",
                "typing_extensions-4.9.0.dist-info/METADATA", "h11-0.14.0.dist-info/METADATA")) {
            old.put(site + path, new PreviousVersions.FileSum("0".repeat(64), false));
        }
        HostDiff diff = HostDiffs.compute(plan, new PreviousVersions(Map.of(oldVenv, old), Map.of()),
                ArtifactRedaction.NONE);
        ArtifactDiff.Venv venv = (ArtifactDiff.Venv) diff.artifact("venv/app.venv").orElseThrow();
        assertThat(venv.changes()).containsExactly(
                new ArtifactDiff.PackageChange("anyio", null, "4.0.0", ArtifactDiff.PackageChange.Kind.ADDED),
                new ArtifactDiff.PackageChange("FastAPI", "0.110.0", "0.111.0",
                        ArtifactDiff.PackageChange.Kind.UPGRADED),
                new ArtifactDiff.PackageChange("h11", "0.14.0", null, ArtifactDiff.PackageChange.Kind.REMOVED),
                new ArtifactDiff.PackageChange("typing-extensions", "4.9.0", "4.8.0",
                        ArtifactDiff.PackageChange.Kind.DOWNGRADED));
        assertThat(venv.python()).contains("cpython 3.11.2 x86_64 glibc 2.36");
        assertThat(venv.previousPython()).isEqualTo("python3.11");
    }

    @Test
    void aFailedLiveGenerationIsTheReasonForEveryRestart() {
        DesiredGeneration desired = desired(site(1, -1), "u\n", "c\n");
        HostState state = after(desired);
        HostState failed = new HostState(state.currentNumber(), state.current(), state.generations(), state.store(),
                true, "x86_64", 1, Map.of(), Optional.of("health check failed"), Optional.empty(), Map.of());
        HostDiff diff = HostDiffs.compute(Planner.plan(host, desired, failed), PreviousVersions.NONE,
                ArtifactRedaction.NONE);
        assertThat(diff.reason("web").orElseThrow().because()).containsExactly("generation 1 is marked failed");
    }

    @Test
    void aChangedRegionTooLargeForALineByLineDiffIsShownAsOneReplacementBetweenItsContext() {
        // Myers' diff costs (lines x changes): a 1 MiB text rewritten line by line took minutes. Past the bound the
        // changed region (between the common head and tail) is one hunk: every old line removed, every new added.
        StringBuilder before = new StringBuilder("head\n");
        StringBuilder after = new StringBuilder("head\n");
        int lines = HostDiffs.MAX_DIFFED_LINES;
        for (int i = 0; i < lines; i++) {
            // one line in the middle stays: a line-by-line diff would keep it, the replacement does not
            before.append(i == lines / 2 ? "same" : "old " + i).append('\n');
            after.append(i == lines / 2 ? "same" : "new " + i).append('\n');
        }
        before.append("tail\n");
        after.append("tail\n");
        List<String> diff = HostDiffs.unified(before.toString(), after.toString());
        assertThat(diff.get(0)).isEqualTo("@@ -1," + (lines + 2) + " +1," + (lines + 2) + " @@");
        assertThat(diff).hasSize(1 + 2 + 2 * lines);
        assertThat(diff.get(1)).isEqualTo(" head");
        assertThat(diff.subList(2, 2 + lines)).allMatch(line -> line.startsWith("-"));
        assertThat(diff.subList(2 + lines, 2 + 2 * lines)).allMatch(line -> line.startsWith("+"));
        assertThat(diff.get(diff.size() - 1)).isEqualTo(" tail");

        String small = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        assertThat(HostDiffs.unified(small, small.replace("e\n", "E\n")))
                .containsExactly("@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h");
    }

    @Test
    void theUnifiedDiffOfEqualTextsIsEmpty() {
        assertThat(HostDiffs.unified("a\nb\n", "a\nb\n")).isEmpty();
        assertThat(HostDiffs.unified("", "x\n")).containsExactly("@@ -1,0 +1,1 @@", "+x");
    }
}
