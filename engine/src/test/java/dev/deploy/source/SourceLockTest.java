package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.DeployException;
import dev.deploy.module.HostEvaluator;
import dev.deploy.module.ModuleLibrary;
import dev.deploy.inventory.Inventory;
import dev.deploy.inventory.InventoryLoader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy.lock: pins on first use, stays until updated, --frozen, rev= pins, refs deleted upstream. */
class SourceLockTest {

    @TempDir
    Path tmp;

    private GitRepo repo;
    private String first;
    private Path lockFile;

    @BeforeEach
    void repository() throws Exception {
        repo = GitRepo.init(tmp.resolve("app"));
        repo.write("index.html", "one\n");
        first = repo.commit("one");
        lockFile = tmp.resolve("project/deploy.lock");
        Files.createDirectories(lockFile.getParent());
    }

    private SourceSpec.GitSource source(String ref) {
        return new SourceSpec.GitSource(repo.dir.toString(), Optional.ofNullable(ref), Optional.empty(),
                Optional.empty(), "git+file:../app?ref=" + ref, null);
    }

    private SourceSpec.GitSource pinnedBy(String rev) {
        return new SourceSpec.GitSource(repo.dir.toString(), Optional.empty(), Optional.of(rev), Optional.empty(),
                "git+file:../app?rev=" + rev, null);
    }

    private SourceOptions options() {
        return new SourceOptions(Optional.of(lockFile), false, false, Optional.empty(), ControllerPaths.none());
    }

    private SourceResolver resolver(SourceOptions options) {
        return new SourceResolver(tmp.resolve("cache"), options);
    }

    private String content(SourceSnapshot snapshot) throws Exception {
        try (InputStream in = snapshot.contents().open(snapshot.tree().entries().get(0))) {
            return new String(in.readAllBytes());
        }
    }

    @Test
    void aSourceIsPinnedOnFirstUseAndStaysThereUntilLockUpdateMovesIt() throws Exception {
        String treeOfFirst;
        try (SourceResolver run = resolver(options())) {
            SourceSnapshot snapshot = run.resolve(source("main"), tmp);
            treeOfFirst = snapshot.tree().hash();
            assertThat(snapshot.origin()).contains("branch main @ " + first, "(newly locked)");
            assertThat(run.notices()).containsExactly(new SourceNotice.PinAdded(null, "git+file:../app?ref=main",
                    "branch main", first));
        }
        SourceLock.Entry entry = SourceLock.load(lockFile).get("git+file:../app?ref=main").orElseThrow();
        assertThat(entry.commit()).isEqualTo(first);
        assertThat(entry.url()).isEqualTo("../app");
        assertThat(entry.resolvedRef()).isEqualTo("refs/heads/main");
        assertThat(entry.treeHash()).isEqualTo(treeOfFirst);

        repo.write("index.html", "two\n");
        String second = repo.commit("two");
        try (SourceResolver run = resolver(options())) {
            SourceSnapshot snapshot = run.resolve(source("main"), tmp);
            assertThat(content(snapshot)).as("upstream moved, the pin did not").isEqualTo("one\n");
            assertThat(snapshot.tree().hash()).isEqualTo(treeOfFirst);
            assertThat(snapshot.origin()).contains("@ " + first + " (locked ");
            run.checkUpstream();
            assertThat(run.notices()).containsExactly(new SourceNotice.UpstreamMoved(null, "git+file:../app?ref=main",
                    "refs/heads/main", first, second));
        }
        try (SourceResolver update = resolver(options().withUpdate(Optional.of(SourceOptions.ALL)))) {
            assertThat(content(update.resolve(source("main"), tmp))).isEqualTo("two\n");
            assertThat(update.pinChanges()).singleElement().satisfies(change -> {
                assertThat(change.before()).contains(first);
                assertThat(change.after()).isEqualTo(second);
                assertThat(change.moved()).isTrue();
            });
        }
        assertThat(SourceLock.load(lockFile).get("git+file:../app?ref=main").orElseThrow().commit()).isEqualTo(second);
    }

    @Test
    void frozenRefusesASourceTheLockLacksAndNeverWritesTheLock() throws Exception {
        try (SourceResolver frozen = resolver(options().withFrozen(true))) {
            assertThatThrownBy(() -> frozen.resolve(source("main"), tmp))
                    .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.kind())
                            .isEqualTo(DeployException.Kind.INPUT))
                    .hasMessageContaining("not pinned in deploy.lock (--frozen)");
        }
        assertThat(lockFile).doesNotExist();
        try (SourceResolver run = resolver(options())) {
            run.resolve(source("main"), tmp);
        }
        byte[] locked = Files.readAllBytes(lockFile);
        repo.write("index.html", "two\n");
        repo.commit("two");
        try (SourceResolver frozen = resolver(options().withFrozen(true))) {
            assertThat(content(frozen.resolve(source("main"), tmp))).isEqualTo("one\n");
        }
        assertThat(Files.readAllBytes(lockFile)).isEqualTo(locked);
    }

    @Test
    void aRevReferenceIsItsOwnPinAndNeverMoves() throws Exception {
        repo.write("index.html", "two\n");
        repo.commit("two");
        try (SourceResolver update = resolver(options().withUpdate(Optional.of(SourceOptions.ALL)))) {
            SourceSnapshot snapshot = update.resolve(pinnedBy(first), tmp);
            assertThat(content(snapshot)).isEqualTo("one\n");
            assertThat(snapshot.origin()).contains("(pinned by rev)");
            assertThat(update.pinChanges()).singleElement().satisfies(c -> assertThat(c.after()).isEqualTo(first));
        }
        try (SourceResolver frozen = resolver(new SourceOptions(Optional.of(tmp.resolve("other.lock")), true, false,
                Optional.empty(), ControllerPaths.none()))) {
            assertThat(content(frozen.resolve(pinnedBy(first), tmp))).as("no lock entry needed").isEqualTo("one\n");
        }
    }

    @Test
    void aBranchDeletedUpstreamKeepsALockedDeployWorkingAndMakesLockUpdateFailClearly() throws Exception {
        repo.git("checkout", "-q", "-b", "feature");
        repo.write("index.html", "feature\n");
        String feature = repo.commit("feature");
        repo.git("checkout", "-q", "main");
        try (SourceResolver run = resolver(options())) {
            assertThat(content(run.resolve(source("feature"), tmp))).isEqualTo("feature\n");
        }
        repo.git("branch", "-D", "feature");
        try (SourceResolver run = resolver(options())) {
            SourceSnapshot snapshot = run.resolve(source("feature"), tmp);
            assertThat(content(snapshot)).isEqualTo("feature\n");
            run.checkUpstream();
            assertThat(run.notices()).containsExactly(new SourceNotice.UpstreamRefGone(null,
                    "git+file:../app?ref=feature", "refs/heads/feature", feature));
        }
        try (SourceResolver update = resolver(options().withUpdate(Optional.of(Set.of("git+file:../app?ref=feature"))))) {
            assertThatThrownBy(() -> update.resolve(source("feature"), tmp))
                    .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.kind())
                            .isEqualTo(DeployException.Kind.INPUT))
                    .hasMessageContaining("ref 'feature' is not a branch, tag or commit")
                    .hasMessageContaining("deploy.lock still pins " + feature)
                    .hasMessageContaining("deleted upstream");
        }
        try (SourceResolver fresh = new SourceResolver(tmp.resolve("cache"), new SourceOptions(
                Optional.of(tmp.resolve("fresh.lock")), false, false, Optional.empty(), ControllerPaths.none()))) {
            assertThatThrownBy(() -> fresh.resolve(source("feature"), tmp))
                    .hasMessageContaining("ref 'feature' is not a branch, tag or commit");
        }
    }

    @Test
    void aPinnedCommitThatHistoryRewritingRemovedSaysItIsThePinAndHowToMoveIt() throws Exception {
        repo.write("index.html", "two\n");
        String second = repo.commit("two");
        try (SourceResolver run = resolver(options())) {
            run.resolve(source("main"), tmp);
        }
        // upstream force-pushes main back and collects the old commit
        repo.git("reset", "-q", "--hard", first);
        repo.git("reflog", "expire", "--expire=now", "--all");
        repo.git("gc", "-q", "--prune=now");
        try (SourceResolver run = resolver(options())) {
            assertThatThrownBy(() -> run.resolve(source("main"), tmp))
                    .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.kind())
                            .isEqualTo(DeployException.Kind.INPUT))
                    .hasMessageContaining("commit " + second + " is not in")
                    .hasMessageContaining("deploy.lock pins it for refs/heads/main")
                    .hasMessageContaining("deploy lock --update git+file:../app?ref=main");
        }
    }

    @Test
    void twoRunsThatPinDifferentSourcesAtTheSameTimeKeepBothPins() throws Exception {
        repo.git("tag", "v1");
        // two runs (say 'deploy plan --on a' and '--on b' started together) both read the lock before either writes
        try (SourceResolver runA = resolver(options()); SourceResolver runB = resolver(options())) {
            runA.resolve(source("main"), tmp);
            runB.resolve(source("v1"), tmp);
        }
        assertThat(SourceLock.load(lockFile).entries().keySet())
                .containsExactly("git+file:../app?ref=main", "git+file:../app?ref=v1");

        // and truly in parallel, with a pruning 'deploy lock' that knows only its own source
        Files.delete(lockFile);
        repo.git("tag", "v2");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (String ref : List.of("main", "v1", "v2")) {
                runs.add(pool.submit(() -> {
                    try (SourceResolver run = resolver(options())) {
                        run.resolve(source(ref), tmp);
                    }
                }));
            }
            for (java.util.concurrent.Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(SourceLock.load(lockFile).entries().keySet()).containsExactly("git+file:../app?ref=main",
                "git+file:../app?ref=v1", "git+file:../app?ref=v2");
    }

    @Test
    void anEmptyLockFileIsAnEmptyLock() throws Exception {
        Files.writeString(lockFile, "");
        assertThat(SourceLock.load(lockFile).entries()).isEmpty();
    }

    @Test
    void theLockFileIsStableJsonWithSortedKeysAndReadableMode() throws Exception {
        try (SourceResolver run = resolver(options())) {
            run.resolve(source("main"), tmp);
            run.resolve(pinnedBy(first), tmp);
        }
        String text = Files.readString(lockFile);
        assertThat(text).startsWith("{\n  \"version\": 1,\n  \"sources\": {\n    \"git+file:../app?ref=main\": {\n"
                + "      \"url\": \"../app\",\n      \"ref\": \"main\",\n      \"resolvedRef\": \"refs/heads/main\",\n"
                + "      \"kind\": \"branch\",\n      \"commit\": \"" + first + "\",\n");
        assertThat(text.indexOf("?ref=main")).isLessThan(text.indexOf("?rev="));
        assertThat(text).endsWith("}\n}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lockFile))).isEqualTo("rw-r--r--");
        SourceLock.load(lockFile).write();
        assertThat(Files.readString(lockFile)).as("rewriting changes nothing").isEqualTo(text);
    }

    @Test
    void aPinWhoseTreeHashDisagreesWithItsCommitIsRefusedUntilLockUpdateRecordsIt() throws Exception {
        String recorded;
        try (SourceResolver run = resolver(options())) {
            recorded = run.resolve(source("main"), tmp).tree().hash();
        }
        String text = Files.readString(lockFile);
        String tampered = text.replace(recorded, "00" + recorded.substring(2));
        Files.writeString(lockFile, tampered);
        try (SourceResolver run = resolver(options())) {
            assertThatThrownBy(() -> run.resolve(source("main"), tmp))
                    .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.kind())
                            .isEqualTo(DeployException.Kind.INPUT))
                    .hasMessageContaining("gives tree " + recorded)
                    .hasMessageContaining("deploy lock --update");
        }
        assertThat(Files.readString(lockFile)).as("a refused run does not rewrite the pin").isEqualTo(tampered);
        try (SourceResolver update = resolver(options().withUpdate(Optional.of(SourceOptions.ALL)))) {
            assertThat(update.resolve(source("main"), tmp).tree().hash()).isEqualTo(recorded);
        }
        assertThat(Files.readString(lockFile)).contains(recorded);
    }

    @Test
    void aLockFileWithMergeConflictMarkersIsAnInputErrorAtTheMarkersLineAndColumn() throws Exception {
        try (SourceResolver run = resolver(options())) {
            run.resolve(source("main"), tmp);
        }
        String text = Files.readString(lockFile);
        Files.writeString(lockFile, text.replace("  \"sources\"", "<<<<<<< HEAD\n  \"sources\""));
        assertThatThrownBy(() -> resolver(options()))
                .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.kind())
                        .isEqualTo(DeployException.Kind.INPUT))
                .hasMessageStartingWith(lockFile + ":3:1: ")
                .hasMessageContaining("merge conflict");
    }

    @Test
    void aLockEntryWithAnUnknownKindIsAnInputErrorNotACommitPinThatSkipsTheUpstreamCheck() throws Exception {
        try (SourceResolver run = resolver(options())) {
            run.resolve(source("main"), tmp);
        }
        String text = Files.readString(lockFile);
        assertThat(text).contains("\"kind\": \"branch\"");
        Files.writeString(lockFile, text.replace("\"kind\": \"branch\"", "\"kind\": \"brnach\""));
        assertThatThrownBy(() -> resolver(options()))
                .isInstanceOfSatisfying(DeployException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DeployException.Kind.INPUT);
                    assertThat(e.field()).hasValueSatisfying(f -> assertThat(f).endsWith(".kind"));
                })
                .hasMessageContaining("unknown kind 'brnach'").hasMessageContaining("branch");
    }

    @Test
    void aDamagedLockFileIsAnInputErrorNamingIt() throws Exception {
        Files.writeString(lockFile, "{\"version\": 1, \"sources\": {\"x\": {\"url\": \"u\", \"commit\": \"abc\"}}}");
        assertThatThrownBy(() -> resolver(options()))
                .isInstanceOfSatisfying(DeployException.class, e -> assertThat(e.kind())
                        .isEqualTo(DeployException.Kind.INPUT))
                .hasMessageStartingWith(lockFile.toString())
                .hasMessageContaining("full commit id");
        Files.writeString(lockFile, "not json");
        assertThatThrownBy(() -> resolver(options())).hasMessageContaining("not a valid lock file");
    }

    @Test
    void theLnbitsExamplesCommittedLockPinsItsGithubSourceWhichOfflineNeedsInTheCache() throws Exception {
        Path example = Path.of("..", "inventory-examples", "lnbits").toAbsolutePath().normalize();
        Path project = Files.createDirectories(tmp.resolve("lnbits-example"));
        Files.copy(example.resolve("inventory.yaml"), project.resolve("inventory.yaml"));
        Files.copy(example.resolve("deploy.lock"), project.resolve("deploy.lock"));
        Inventory inventory = InventoryLoader.load(project.resolve("inventory.yaml"));
        ModuleLibrary modules = new ModuleLibrary(List.of(Path.of("..", "modules").toAbsolutePath().normalize()));
        SourceOptions frozenOffline = SourceOptions.beside(project.resolve("inventory.yaml")).withFrozen(true)
                .withOffline(true);
        try (SourceResolver sources = new SourceResolver(tmp.resolve("cache"), frozenOffline)) {
            // the lock pins the prod host's github: source (else: "not pinned"); reading the pinned commit needs
            // it in the cache, and --offline forbids fetching it: the only error left
            assertThatThrownBy(() -> new HostEvaluator(modules, sources).evaluate(inventory, inventory.host("prod")
                    .orElseThrow()))
                    .hasMessageContaining("github:lnbits/lnbits/v1.0.0: commit 57148484348ca33f170ab85f00debe67cc3b265f"
                            + " is not in https://github.com/lnbits/lnbits.git (not in the cache; --offline)");
        }
        Files.writeString(project.resolve("deploy.lock"), "{\"version\": 1, \"sources\": {}}\n");
        try (SourceResolver sources = new SourceResolver(tmp.resolve("cache"), frozenOffline)) {
            assertThatThrownBy(() -> new HostEvaluator(modules, sources).evaluate(inventory, inventory.host("prod")
                    .orElseThrow())).hasMessageContaining("not pinned in deploy.lock (--frozen)");
        }
    }
}
