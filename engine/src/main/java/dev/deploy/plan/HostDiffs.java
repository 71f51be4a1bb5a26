package dev.deploy.plan;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.deploy.python.PackageNames;
import dev.deploy.python.Pep440Version;
import dev.deploy.store.Artifact;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import dev.deploy.venv.VenvReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes a {@link HostDiff} from a plan and what the host told about the store paths it replaces (pure): source
 * trees by the checksum lists, rendered files and units by their text (java-diff-utils, unified format), venvs by
 * the packages their {@code .dist-info} directories name against the new venv's {@link VenvReport}, and the reason
 * of every service action.
 */
public final class HostDiffs {

    /** Largest text (bytes, either side) shown as a unified diff; larger ones are {@link ArtifactDiff.Unknown}. */
    public static final int MAX_TEXT_BYTES = 1 << 20;

    private static final int CONTEXT_LINES = 3;

    /**
     * {@code lib/pythonX.Y/site-packages/NAME-VERSION.dist-info/METADATA}, as wheels install it (PEP 427, PEP 491:
     * the name with {@code -} escaped to {@code _}); only the characters such names and PEP 440 versions use, so
     * nothing else a host lists ends up in a plan.
     */
    private static final Pattern DIST_INFO = Pattern.compile(
            "lib/(python[0-9]+\\.[0-9]+)/site-packages/([A-Za-z0-9._]+)-([A-Za-z0-9.+!_]+)\\.dist-info/METADATA");

    private HostDiffs() {
    }

    /** The store paths whose checksum lists and texts a diff of {@code plan} needs from the host. */
    public record Wanted(Set<StorePath> files, Set<StorePath> texts) {

        public boolean isEmpty() {
            return files.isEmpty() && texts.isEmpty();
        }
    }

    /** What to read from the host for {@link #compute}: only paths the host has, never a hidden artifact's text. */
    public static Wanted wanted(HostPlan plan, ArtifactRedaction redaction) {
        Set<StorePath> files = new TreeSet<>();
        Set<StorePath> texts = new TreeSet<>();
        for (HostPlan.RootChange change : changes(plan)) {
            if (change.change() != HostPlan.Change.CHANGE || !StorePath.isValid(change.from())) {
                continue;
            }
            StorePath from = StorePath.parse(change.from());
            if (!plan.state().store().contains(from) || redaction.hides(change.role())) {
                continue;
            }
            if (isText(change.role())) {
                texts.add(from);
            } else {
                files.add(from);
            }
        }
        return new Wanted(files, texts);
    }

    /** The diff of {@code plan} given what the host returned for {@link #wanted}. */
    public static HostDiff compute(HostPlan plan, PreviousVersions previous, ArtifactRedaction redaction) {
        Map<String, Artifact> artifacts = byRole(plan.desired());
        List<ArtifactDiff> diffs = new ArrayList<>();
        for (HostPlan.RootChange change : changes(plan)) {
            if (change.change() == HostPlan.Change.REMOVE) {
                continue;
            }
            diffs.add(diff(plan, change, artifacts.get(change.role()), previous, redaction));
        }
        return new HostDiff(unitChanges(plan), diffs, reasons(plan));
    }

    /** Root changes, then the units of services added, changed or removed as {@code unit/SERVICE}. */
    static List<HostPlan.RootChange> changes(HostPlan plan) {
        List<HostPlan.RootChange> all = new ArrayList<>(plan.rootChanges());
        all.addAll(unitChanges(plan));
        return all;
    }

    /** How the services' units change, by {@code unit/SERVICE}. */
    public static List<HostPlan.RootChange> unitChanges(HostPlan plan) {
        Map<String, String> before = new TreeMap<>();
        plan.current().ifPresent(current -> current.services()
                .forEach((name, service) -> before.put("unit/" + name, service.unit())));
        Map<String, String> after = new TreeMap<>();
        plan.desired().manifest().services().forEach((name, service) -> after.put("unit/" + name, service.unit()));
        return Planner.rootChanges(before, after);
    }

    private static ArtifactDiff diff(HostPlan plan, HostPlan.RootChange change, Artifact artifact,
                                     PreviousVersions previous, ArtifactRedaction redaction) {
        String role = change.role();
        if (redaction.hides(role)) {
            return new ArtifactDiff.Hidden(role, change.from(), change.to());
        }
        if (role.startsWith("venv/")) {
            return venv(plan, change, previous);
        }
        if (artifact == null || !artifact.isBuilt()) {
            return new ArtifactDiff.Unknown(role, change.from(), change.to(), "not built yet");
        }
        StorePath from = change.from() != null && StorePath.isValid(change.from())
                ? StorePath.parse(change.from()) : null;
        if (isText(role)) {
            return text(role, change, artifact, from == null ? new byte[0] : previous.texts().get(from),
                    redaction);
        }
        Map<String, PreviousVersions.FileSum> before = from == null ? Map.of() : previous.files().get(from);
        if (before == null) {
            return new ArtifactDiff.Unknown(role, change.from(), change.to(), "the host kept no checksum list for "
                    + change.from());
        }
        Map<String, String> others = from == null ? Map.of() : previous.others().getOrDefault(from, Map.of());
        return new ArtifactDiff.Files(role, change.from(), change.to(), files(before, others, artifact));
    }

    /**
     * Entries added, removed, changed (content, link target, or kind) or mode-changed (a file's executable bit)
     * from the host's lists ({@code before}: files; {@code others}: directories and symlinks, empty when the list
     * had none) to {@code artifact}'s tree, by path; a directory's path ends with {@code /}.
     */
    static List<ArtifactDiff.FileChange> files(Map<String, PreviousVersions.FileSum> before,
                                               Map<String, String> others, Artifact artifact) {
        Map<String, String> was = new HashMap<>(others);
        before.forEach((path, sum) -> was.put(path, "f " + sum.sha256()));
        Map<String, String> will = new HashMap<>();
        Map<String, Boolean> executable = new HashMap<>();
        for (TreeEntry entry : artifact.tree().entries()) {
            switch (entry.kind()) {
                case FILE -> {
                    will.put(entry.path(), "f " + entry.sha256());
                    executable.put(entry.path(), entry.executable());
                }
                case DIRECTORY -> {
                    if (!entry.path().isEmpty() && !others.isEmpty()) {
                        will.put(entry.path(), "d");
                    }
                }
                case SYMLINK -> will.put(entry.path(), "l " + entry.linkTarget());
            }
        }
        TreeSet<String> paths = new TreeSet<>(was.keySet());
        paths.addAll(will.keySet());
        List<ArtifactDiff.FileChange> changes = new ArrayList<>();
        for (String path : paths) {
            String a = was.get(path);
            String b = will.get(path);
            ArtifactDiff.FileChange.Kind kind = a == null ? ArtifactDiff.FileChange.Kind.ADDED
                    : b == null ? ArtifactDiff.FileChange.Kind.REMOVED
                    : !a.equals(b) ? ArtifactDiff.FileChange.Kind.CHANGED
                    : a.startsWith("f ") && before.get(path).executable() != executable.get(path)
                    ? ArtifactDiff.FileChange.Kind.MODE_CHANGED : null;
            if (kind != null) {
                boolean directory = "d".equals(a) || "d".equals(b);
                changes.add(new ArtifactDiff.FileChange(directory ? path + "/" : path, kind));
            }
        }
        return changes;
    }

    private static ArtifactDiff text(String role, HostPlan.RootChange change, Artifact artifact, byte[] old,
                                     ArtifactRedaction redaction) {
        List<TreeEntry> files = artifact.tree().entries().stream().filter(e -> e.kind() == TreeEntry.Kind.FILE)
                .toList();
        if (files.size() != 1) {
            return new ArtifactDiff.Unknown(role, change.from(), change.to(), "not a single file");
        }
        if (old == null) {
            return new ArtifactDiff.Unknown(role, change.from(), change.to(), "the host did not return the text of "
                    + change.from() + " (missing, or over " + MAX_TEXT_BYTES + " bytes)");
        }
        TreeEntry file = files.get(0);
        if (file.size() > MAX_TEXT_BYTES) {
            return new ArtifactDiff.Unknown(role, change.from(), change.to(), "over " + MAX_TEXT_BYTES + " bytes");
        }
        String before = decode(old);
        String after = decode(read(artifact, file));
        if (before == null || after == null) {
            return new ArtifactDiff.Unknown(role, change.from(), change.to(), "not UTF-8 text");
        }
        List<String> lines = unified(before, after).stream().map(line -> redaction.redact(role, line)).toList();
        return new ArtifactDiff.Text(role, change.from(), change.to(), file.path(), lines);
    }

    /**
     * Most lines (old and new together) of the changed region, between the texts' common head and tail, compared
     * line by line. Myers' algorithm costs lines times changes (a rewritten 1 MiB text took minutes); past this a
     * region is shown as one replacement.
     */
    static final int MAX_DIFFED_LINES = 4000;

    /** The unified diff of two texts without its two header lines. */
    static List<String> unified(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<String> oldRegion = a.subList(head, a.size() - tail);
        List<String> newRegion = b.subList(head, b.size() - tail);
        Patch<String> patch = new Patch<>();
        if (oldRegion.size() + newRegion.size() > MAX_DIFFED_LINES) {
            patch.addDelta(new com.github.difflib.patch.ChangeDelta<>(
                    new com.github.difflib.patch.Chunk<>(head, oldRegion),
                    new com.github.difflib.patch.Chunk<>(head, newRegion)));
        } else {
            patch = DiffUtils.diff(a, b);
        }
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("a", "b", a, patch, CONTEXT_LINES);
        return unified.size() <= 2 ? List.of() : List.copyOf(unified.subList(2, unified.size()));
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return Arrays.asList(body.split("\n", -1));
    }

    private static ArtifactDiff venv(HostPlan plan, HostPlan.RootChange change, PreviousVersions previous) {
        VenvReport report = plan.desired().venvs().stream().filter(v -> v.role().equals(change.role())).findFirst()
                .orElse(null);
        if (report == null) {
            return new ArtifactDiff.Unknown(change.role(), change.from(), change.to(), "no venv report");
        }
        Map<String, String> after = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        for (VenvReport.PackageLine line : report.packages()) {
            after.put(PackageNames.normalize(line.name()), line.version());
            names.put(PackageNames.normalize(line.name()), line.name());
        }
        Map<String, String> before = new TreeMap<>();
        String previousPython = null;
        if (change.from() != null) {
            Map<String, PreviousVersions.FileSum> files = StorePath.isValid(change.from())
                    ? previous.files().get(StorePath.parse(change.from())) : null;
            if (files == null) {
                return new ArtifactDiff.Unknown(change.role(), change.from(), change.to(),
                        "the host kept no checksum list for " + change.from());
            }
            for (String path : files.keySet()) {
                Matcher m = DIST_INFO.matcher(path);
                if (m.matches()) {
                    String name = PackageNames.normalize(m.group(2));
                    before.put(name, m.group(3));
                    names.putIfAbsent(name, m.group(2));
                    previousPython = m.group(1);
                }
            }
        }
        TreeSet<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        List<ArtifactDiff.PackageChange> changes = new ArrayList<>();
        for (String name : all) {
            String was = before.get(name);
            String will = after.get(name);
            if (Objects.equals(was, will)) {
                continue;
            }
            ArtifactDiff.PackageChange.Kind kind = was == null ? ArtifactDiff.PackageChange.Kind.ADDED
                    : will == null ? ArtifactDiff.PackageChange.Kind.REMOVED
                    : newer(will, was) ? ArtifactDiff.PackageChange.Kind.UPGRADED
                    : ArtifactDiff.PackageChange.Kind.DOWNGRADED;
            if (kind == ArtifactDiff.PackageChange.Kind.DOWNGRADED && sameVersion(was, will)) {
                continue;
            }
            changes.add(new ArtifactDiff.PackageChange(names.get(name), was, will, kind));
        }
        return new ArtifactDiff.Venv(change.role(), change.from(), change.to(), report.python(), previousPython,
                changes);
    }

    private static boolean newer(String will, String was) {
        var a = Pep440Version.tryParse(will);
        var b = Pep440Version.tryParse(was);
        return a.isPresent() && b.isPresent() ? a.get().compareTo(b.get()) > 0 : will.compareTo(was) > 0;
    }

    private static boolean sameVersion(String was, String will) {
        var a = Pep440Version.tryParse(will);
        var b = Pep440Version.tryParse(was);
        return a.isPresent() && b.isPresent() && a.get().compareTo(b.get()) == 0;
    }

    /** Why each service in the plan is started, restarted or stopped. */
    static List<ServiceReason> reasons(HostPlan plan) {
        Map<String, GenerationManifest.ServiceEntry> before = plan.current().map(GenerationManifest::services)
                .orElse(new TreeMap<>());
        Map<String, GenerationManifest.ServiceEntry> after = plan.desired().manifest().services();
        List<ServiceReason> reasons = new ArrayList<>();
        for (HostPlan.ServiceChange change : plan.serviceChanges()) {
            GenerationManifest.ServiceEntry was = before.get(change.service());
            GenerationManifest.ServiceEntry will = after.get(change.service());
            Set<String> because = new LinkedHashSet<>();
            if (plan.state().currentFailure().isPresent()) {
                because.add("generation " + plan.state().currentNumber().map(String::valueOf).orElse("?")
                        + " is marked failed");
            }
            if (was == null) {
                because.add("new service");
            } else if (will == null) {
                because.add("removed from the inventory");
            } else {
                if (!was.unit().equals(will.unit())) {
                    because.add("unit");
                }
                TreeSet<String> roles = new TreeSet<>(was.inputs() == null ? Set.of() : was.inputs().keySet());
                if (will.inputs() != null) {
                    roles.addAll(will.inputs().keySet());
                }
                for (String role : roles) {
                    String a = was.inputs() == null ? null : was.inputs().get(role);
                    String b = will.inputs() == null ? null : will.inputs().get(role);
                    if (!Objects.equals(a, b)) {
                        because.add(role);
                    }
                }
            }
            change.was().ifPresent(state -> because.add("was " + state));
            if (will != null && was != null) {
                java.util.Set<dev.deploy.store.StorePath> repaired = new java.util.HashSet<>();
                plan.toRepair().forEach(artifact -> repaired.add(artifact.storePath()));
                Planner.repairedInputs(will, repaired).forEach(what -> because.add(what + " repaired"));
            }
            reasons.add(new ServiceReason(change.service(), change.action(), List.copyOf(because)));
        }
        return reasons;
    }

    private static Map<String, Artifact> byRole(DesiredGeneration desired) {
        Map<String, Artifact> byPath = new HashMap<>();
        desired.artifacts().forEach(a -> byPath.put(a.storePath().toString(), a));
        Map<String, Artifact> roles = new HashMap<>();
        desired.manifest().roots().forEach((role, path) -> roles.put(role, byPath.get(path)));
        desired.manifest().services().forEach((name, s) -> roles.put("unit/" + name, byPath.get(s.unit())));
        return roles;
    }

    private static boolean isText(String role) {
        return role.startsWith("file/") || role.startsWith("unit/");
    }

    private static byte[] read(Artifact artifact, TreeEntry file) {
        try (InputStream in = artifact.contents().open(file)) {
            return in.readNBytes(MAX_TEXT_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(byte[] bytes) {
        if (bytes.length > MAX_TEXT_BYTES) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
