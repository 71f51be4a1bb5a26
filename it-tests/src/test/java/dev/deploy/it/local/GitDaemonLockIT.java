package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 and issue 13 items 5-6 through the real CLI, with a bare repository served by a real {@code git daemon}
 * on 127.0.0.1 standing in for GitHub: pins in deploy.lock, lock --update, --frozen, rev=, dir=, branches deleted
 * upstream, an unreachable upstream.
 */
class GitDaemonLockIT {

    @TempDir
    Path tmp;

    private GitFixture work;
    private GitFixture bare;
    private GitDaemon daemon;
    private Path project;
    private String first;

    @BeforeEach
    void upstream() throws Exception {
        Path served = Files.createDirectories(tmp.resolve("served"));
        bare = GitFixture.bare(served.resolve("app.git"));
        work = GitFixture.init(tmp.resolve("work"));
        work.write("web/index.html", "one\n");
        work.write("api/main.py", "print('api')\n");
        first = work.commitAll("one");
        work.git("push", "-q", bare.dir().toString(), "main");
        daemon = GitDaemon.serve(served);
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve("modules"));
        Files.writeString(project.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                services:
                  site:
                    exec: /bin/true ${content}
                """);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private Path inventory(Path dir, String source) throws Exception {
        if (!dir.equals(project)) {
            Files.createDirectories(dir.resolve("modules"));
            Files.copy(project.resolve("modules/site.yaml"), dir.resolve("modules/site.yaml"));
        }
        return Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [site]
                    options:
                      site.content: "%s"
                """.formatted(source));
    }

    private String push(String file, String content, String branch) throws Exception {
        work.write(file, content);
        String commit = work.commitAll(content);
        work.git("push", "-q", "-f", bare.dir().toString(), "HEAD:refs/heads/" + branch);
        return commit;
    }

    private String deployed(Path dir, String file) throws Exception {
        return Files.readString(dir.resolve("state/current/roots/source/site.content").resolve(file));
    }

    private static CliRun ok(CliRun run) {
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return run;
    }

    @Test
    void thePinIsTakenOnFirstPlanAndANewUpstreamCommitChangesNothingUntilLockUpdateShowsOldToNew() throws Exception {
        String reference = "git+" + daemon.url("app.git") + "?ref=main";
        Path inventory = inventory(project, reference);
        CliRun plan = ok(CliRun.against(inventory, "plan"));
        assertThat(plan.stderr()).contains("deploy: note: " + inventory + ":6:", reference
                + ": pinned branch main @ " + first + " (added to deploy.lock)");
        assertThat(plan.stdout()).contains("from " + reference + " = " + daemon.url("app.git") + ", branch main @ "
                + first);
        assertThat(Files.readString(project.resolve("deploy.lock"))).contains("\"commit\": \"" + first + "\"");
        ok(CliRun.against(inventory, "apply"));
        assertThat(deployed(project, "web/index.html")).isEqualTo("one\n");

        String second = push("web/index.html", "two\n", "main");
        CliRun moved = ok(CliRun.against(inventory, "plan", "--detailed-exitcode"));
        assertThat(moved.stdout()).contains("no changes");
        assertThat(moved.stderr()).contains("deploy: warning: ", "upstream refs/heads/main moved to " + second
                + "; still deploying the pinned " + first);
        ok(CliRun.against(inventory, "apply"));
        assertThat(deployed(project, "web/index.html")).isEqualTo("one\n");

        CliRun update = ok(CliRun.of("lock", "--update", "--no-color", inventory.toString(), reference));
        assertThat(update.stdout()).contains(reference + ": " + first + " -> " + second + " (branch main)");
        assertThat(CliRun.against(inventory, "plan", "--detailed-exitcode").exitCode()).isEqualTo(2);
        ok(CliRun.against(inventory, "apply"));
        assertThat(deployed(project, "web/index.html")).isEqualTo("two\n");

        CliRun again = ok(CliRun.of("lock", "--update", "--no-color", inventory.toString()));
        assertThat(again.stdout()).contains(reference + ": unchanged " + second);
        CliRun unknown = CliRun.of("lock", "--update", "--no-color", inventory.toString(), "github:no/such");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.stderr()).contains("'github:no/such' is not a git source of this inventory");
    }

    @Test
    void twoUsersWithTheSameInventoryAndLockDeployTheSameStorePath() throws Exception {
        String reference = "git+" + daemon.url("app.git") + "?ref=main";
        Path inventory = inventory(project, reference);
        JsonNode mine = new ObjectMapper().readTree(ok(CliRun.against(inventory, "plan", "--json")).stdout());
        push("web/index.html", "two\n", "main");
        // a colleague: another checkout (same inventory and lock), another cache, another locale
        Path theirs = Files.createDirectories(tmp.resolve("colleague"));
        Files.copy(project.resolve("deploy.lock"), theirs.resolve("deploy.lock"));
        Path theirInventory = inventory(theirs, reference);
        OddNames.ForkedRun run = OddNames.fork(OddNames.env(OddNames.POSIX_LOCALE, tmp.resolve("their-cache")),
                OddNames.POSIX_JVM, "plan", "--json", "--frozen", "--no-color", theirInventory.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode colleague = new ObjectMapper().readTree(run.stdout());
        assertThat(path(colleague)).isEqualTo(path(mine)).endsWith("-site.content");
    }

    private static String path(JsonNode plan) {
        return plan.get("hosts").get(0).get("storePathsToAdd").get(0).get("storePath").asText();
    }

    @Test
    void aDirReferenceDeploysOnlyThatSubdirectory() throws Exception {
        Path inventory = inventory(project, "git+" + daemon.url("app.git") + "?ref=main&dir=web");
        ok(CliRun.against(inventory, "apply"));
        Path root = project.resolve("state/current/roots/source/site.content").toRealPath();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(p -> root.relativize(p).toString()).filter(p -> !p.isEmpty()))
                    .containsExactly("index.html");
        }
    }

    @Test
    void frozenRefusesASourceTheLockDoesNotPinAndWritesNothing() throws Exception {
        Path inventory = inventory(project, "git+" + daemon.url("app.git") + "?ref=main");
        CliRun frozen = CliRun.against(inventory, "plan", "--frozen");
        assertThat(frozen.exitCode()).isEqualTo(3);
        assertThat(frozen.stderr()).contains(inventory + ":6:", "not pinned in deploy.lock (--frozen)");
        assertThat(project.resolve("deploy.lock")).doesNotExist();
        assertThat(project.resolve("state")).doesNotExist();
        ok(CliRun.of("lock", "--no-color", inventory.toString()));
        ok(CliRun.against(inventory, "apply", "--frozen"));
    }

    @Test
    void aRevReferenceIsItsOwnPinAndNeverMoves() throws Exception {
        String reference = "git+" + daemon.url("app.git") + "?rev=" + first;
        Path inventory = inventory(project, reference);
        push("web/index.html", "two\n", "main");
        ok(CliRun.against(inventory, "apply"));
        CliRun update = ok(CliRun.of("lock", "--update", "--no-color", inventory.toString()));
        assertThat(update.stdout()).contains(reference + ": unchanged " + first + " (commit)");
        ok(CliRun.against(inventory, "apply"));
        assertThat(deployed(project, "web/index.html")).isEqualTo("one\n");
        assertThat(ok(CliRun.against(inventory, "plan")).stderr()).doesNotContain("upstream");
    }

    @Test
    void aBranchDeletedUpstreamKeepsALockedDeployWorkingFailsLockUpdateAndNeverResolvesFromAStaleCache()
            throws Exception {
        String feature = push("web/index.html", "feature\n", "feature");
        String reference = "git+" + daemon.url("app.git") + "?ref=feature";
        Path inventory = inventory(project, reference);
        ok(CliRun.against(inventory, "apply"));
        assertThat(deployed(project, "web/index.html")).isEqualTo("feature\n");

        work.git("push", "-q", bare.dir().toString(), "--delete", "feature");
        CliRun plan = ok(CliRun.against(inventory, "plan", "--detailed-exitcode"));
        assertThat(plan.stderr()).contains("upstream no longer has refs/heads/feature; still deploying the pinned "
                + feature);
        Files.writeString(project.resolve("modules/site.yaml"), Files.readString(project.resolve("modules/site.yaml"))
                .replace("/bin/true", "/bin/echo"));
        ok(CliRun.against(inventory, "apply"));
        assertThat(deployed(project, "web/index.html")).isEqualTo("feature\n");

        CliRun update = CliRun.of("lock", "--update", "--no-color", inventory.toString());
        assertThat(update.exitCode()).isEqualTo(3);
        assertThat(update.stderr()).contains(reference + ": ref 'feature' is not a branch, tag or commit of the "
                + "repository (as fetched now from " + daemon.url("app.git") + ")",
                "deploy.lock still pins " + feature + " (refs/heads/feature): was it deleted upstream?");

        // the same cache (whose mirror had refs/heads/feature) and no pin: the ref is gone, exit 3
        Path other = Files.createDirectories(tmp.resolve("other"));
        CliRun fresh = CliRun.against(inventory(other, reference), "plan");
        assertThat(fresh.exitCode()).isEqualTo(3);
        assertThat(fresh.stderr()).contains("ref 'feature' is not a branch, tag or commit");
    }

    @Test
    void anUnreachableUpstreamIsAFetchFailureAndAPinnedDeployStillPlansOffline() throws Exception {
        String reference = "git+" + daemon.url("app.git") + "?ref=main";
        Path inventory = inventory(project, reference);
        ok(CliRun.against(inventory, "apply"));
        daemon.close();

        CliRun offline = ok(CliRun.against(inventory, "plan", "--offline", "--detailed-exitcode"));
        assertThat(offline.stderr()).doesNotContain("upstream");
        CliRun online = ok(CliRun.against(inventory, "plan"));
        assertThat(online.stderr()).contains("could not check whether upstream moved", "cannot fetch");

        Path other = Files.createDirectories(tmp.resolve("other"));
        CliRun unpinned = CliRun.against(inventory(other, reference), "plan");
        assertThat(unpinned.exitCode()).as("a network failure is not bad input").isEqualTo(1);
        assertThat(unpinned.stderr()).contains("fetch: " + reference + ": cannot fetch " + daemon.url("app.git"),
                "network or server problem");
        assertThat(unpinned.stderr()).doesNotContain("is not a branch");
    }
}
