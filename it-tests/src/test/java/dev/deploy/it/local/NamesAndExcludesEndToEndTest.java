package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 (names, excludes) and issue 9 (a source containing the local state dir) end to end through the real CLI
 * on a local target, with the controller under LANG=C where the case needs it.
 */
class NamesAndExcludesEndToEndTest {

    @TempDir
    Path project;

    private Path state;

    @BeforeEach
    void modules() throws Exception {
        Files.createDirectories(project.resolve("modules"));
        Files.writeString(project.resolve("modules/site.yaml"), """
                module: site
                options:
                  content: {type: source}
                  code: {type: source}
                services:
                  site:
                    exec: /bin/true ${content} ${code}
                """);
        state = project.resolve("state");
    }

    private Path inventory(String content, String code) throws Exception {
        return Files.writeString(project.resolve("inventory.yaml"), """
                hosts:
                  box:
                    local: {root: state}
                    modules: [site]
                    options:
                      site.content: %s
                      site.code: %s
                """.formatted(content, code));
    }

    private Path live(String role) {
        return state.resolve("current/roots/source/site." + role);
    }

    private GitFixture oddRepository() throws Exception {
        GitFixture repo = GitFixture.init(project.resolve("repo"));
        OddNames.create(repo.dir());
        repo.commitAll("odd names");
        return repo;
    }

    @Test
    void oddNamesFromPathAndGitSourcesArriveByteExactAndTheStorePathDoesNotDependOnTheLocale() throws Exception {
        // the source directory's own name is not ASCII either: under LANG=C, Path.of("\u00c4rger site") throws
        OddNames.create(project.resolve("\u00c4rger site"));
        oddRepository();
        Path inventory = inventory("\"path:\u00c4rger site\"", "git+file:repo?ref=main");

        OddNames.ForkedRun posix = OddNames.fork(OddNames.env(OddNames.POSIX_LOCALE, project.resolve("cache")),
                OddNames.POSIX_JVM, "apply", "--no-color", inventory.toString());
        assertThat(posix.exitCode()).as(posix.stderr()).isZero();
        OddNames.assertDeployed(live("content"));
        OddNames.assertDeployed(live("code"));

        // the same inventory planned in this JVM (UTF-8) finds nothing to do: same store paths
        CliRun utf8 = CliRun.against(inventory, "plan", "--detailed-exitcode");
        assertThat(utf8.exitCode()).as(utf8.stdout() + utf8.stderr()).isZero();
        assertThat(utf8.stdout()).contains("no changes");
    }

    @Test
    void excludesHaveGitignoreSemanticsAndAPatternThatMatchedNothingIsAWarning() throws Exception {
        Path site = project.resolve("site");
        for (String file : List.of("index.html", "node_modules/a.js", "sub/node_modules/b.js", "build/out.js",
                "sub/build/keep.js", "deps/lib.a", "app.log", "logs/today.log")) {
            Files.createDirectories(site.resolve(file).getParent());
            Files.writeString(site.resolve(file), file);
        }
        Path inventory = inventory("{path: site, exclude: [\"node_modules/\", \"deps/\", \"/build\", \"*.log\","
                + " \"tmp/\"]}", "path:site");
        CliRun apply = CliRun.against(inventory, "apply");
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        Path deployed = live("content").toRealPath();
        try (Stream<Path> walk = Files.walk(deployed)) {
            assertThat(walk.map(p -> deployed.relativize(p).toString()).filter(p -> !p.isEmpty()))
                    .containsExactlyInAnyOrder("index.html", "sub", "sub/build", "sub/build/keep.js", "logs");
        }
        assertThat(apply.stderr()).contains("deploy: warning: " + inventory + ":6:")
                .contains("path:site: exclude pattern 'tmp/' matched nothing")
                .doesNotContain("'deps/' matched nothing");
    }

    @Test
    void aSourceThatContainsTheLocalStateDirectoryLeavesItOutInsteadOfCopyingTheStoreIntoItself() throws Exception {
        Files.writeString(project.resolve("index.html"), "v0");
        Path inventory = inventory("path:.", "path:modules");
        long[] files = new long[4];
        for (int i = 0; i < 4; i++) {
            Files.writeString(project.resolve("index.html"), "v" + i);
            CliRun apply = CliRun.against(inventory, "apply");
            assertThat(apply.exitCode()).as(apply.stderr()).isZero();
            try (Stream<Path> walk = Files.walk(live("content").toRealPath())) {
                files[i] = walk.filter(Files::isRegularFile).count();
            }
            if (i > 0) {
                assertThat(apply.stderr()).contains("path:.: left out 'state', the state directory of local host "
                        + "'box'");
            }
        }
        // index.html, inventory.yaml, modules/site.yaml: never the store of the previous apply (was 7, 21, 47, 99)
        assertThat(files).containsExactly(3, 3, 3, 3);
        assertThat(live("content").resolve("state")).doesNotExist();

        Files.writeString(inventory, Files.readString(inventory).replace("site.content: path:.",
                "site.content: {path: ., exclude: [/state]}"));
        CliRun quiet = CliRun.against(inventory, "plan");
        assertThat(quiet.stderr()).as("an explicit exclude says so").doesNotContain("left out");
    }

    @Test
    void aNameLinuxCannotHoldIsRefusedAtPlanTimeNamingTheFileBeforeAnyHostIsTouched() throws Exception {
        GitFixture repo = GitFixture.init(project.resolve("repo"));
        repo.write("ok.txt", "ok");
        repo.commitAll("ok");
        // git can record a name of 300 bytes; no Linux file system takes more than 255
        repo.addBlobUnderName("n".repeat(300), "too long");
        Path inventory = inventory("git+file:repo?ref=main", "path:modules");
        CliRun plan = CliRun.against(inventory, "apply");
        assertThat(plan.exitCode()).isEqualTo(3);
        assertThat(plan.stderr()).contains("'" + "n".repeat(300) + "' has a name of 300 bytes");
        assertThat(state).doesNotExist();
    }
}
