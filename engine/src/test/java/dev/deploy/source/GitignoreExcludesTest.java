package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.store.TreeEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exclude:} has gitignore semantics (trailing /, anchoring, **, negation, escapes) and reports dead patterns. */
class GitignoreExcludesTest {

    @TempDir
    Path tmp;

    private Path site;

    @BeforeEach
    void tree() throws Exception {
        site = tmp.resolve("site");
        for (String file : List.of("index.html", "app.log", "logs/today.log", "node_modules/x/index.js",
                "sub/node_modules/y.js", "build/out.js", "sub/build/keep.js", "deps/lib.a", "src/deps",
                "doc/guide.txt", "doc/api/ref.txt", "keep.log", "#hash", "!bang", "a/x/y/b", "cache/data/z")) {
            Path path = site.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, file);
        }
    }

    private List<String> paths(List<String> excludes, List<String> ignoreFiles) {
        SourceSnapshot snapshot = PathSourceReader.read(new SourceSpec.PathSource(site, excludes, ignoreFiles,
                "path:site", null));
        return snapshot.tree().entries().stream().map(TreeEntry::path).toList();
    }

    private List<SourceNotice> notices(List<String> excludes) {
        return PathSourceReader.read(new SourceSpec.PathSource(site, excludes, List.of(), "path:site", null))
                .notices();
    }

    /**
     * git's wildmatch compares bytes: {@code ?} is one byte and a bracket expression matches one byte, so
     * {@code caf?.txt} matches {@code caf\xe9.txt} (Latin-1) but not {@code caf\u00e9.txt} (two bytes in UTF-8). The
     * tree's own ignore file is bytes too: a pattern naming a non-UTF-8 name matches it.
     */
    @Test
    void wildcardsAndBracketsMatchBytesAsGitDoesNotCharacters() throws Exception {
        GitRepo names = new GitRepo(site);
        names.sh("printf a > 'caf\u00e9.txt'; printf b > \"$(printf 'caf\\351.txt')\"; printf c > cafe.txt;"
                + " printf d > \"$(printf 'old\\351')\"; printf 'old\\351\\n' > .deployignore");
        List<String> excludes = List.of("caf?.txt", "[\u00e9]x");
        List<String> kept = paths(excludes, List.of(".deployignore")).stream()
                .filter(p -> p.startsWith("caf") || p.startsWith("old")).sorted().toList();
        GitRepo.init(tmp.resolve("oracle"));
        names.sh("cp -a . ../oracle/ && cd ../oracle && printf '%s\\n' 'caf?.txt' '[\u00e9]x' > .git/info/exclude"
                + " && cat .deployignore >> .git/info/exclude");
        String byGit = new GitRepo(tmp.resolve("oracle")).git("-c", "core.quotepath=false", "ls-files", "-o",
                "--exclude-standard");
        List<String> gitKept = byGit.lines().filter(p -> p.startsWith("caf") || p.startsWith("old"))
                .map(p -> dev.deploy.store.FileNames.decode(p.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .sorted().toList();
        assertThat(gitKept).as("git keeps the UTF-8 name only").containsExactly("caf\u00e9.txt");
        assertThat(kept).isEqualTo(gitKept);
    }

    @Test
    void theIssuesPatternsExcludeWhatGitWould() {
        List<String> paths = paths(List.of("node_modules/", "deps/", "/build", "*.log"), List.of());
        assertThat(paths).doesNotContain("node_modules", "node_modules/x/index.js", "sub/node_modules",
                "sub/node_modules/y.js", "build", "build/out.js", "deps", "deps/lib.a", "app.log", "logs/today.log",
                "keep.log");
        // '/build' is anchored: sub/build stays; 'deps/' is a directory: the file src/deps stays
        assertThat(paths).contains("sub/build/keep.js", "src/deps", "index.html", "logs");
    }

    @Test
    void negationDoubleStarMiddleSlashAndEscapesWork() {
        List<String> paths = paths(List.of("*.log", "!keep.log", "a/**/b", "doc/*.txt", "\\#hash", "\\!bang",
                "**/data"), List.of());
        assertThat(paths).contains("keep.log", "doc/api/ref.txt", "cache");
        assertThat(paths).doesNotContain("app.log", "a/x/y/b", "doc/guide.txt", "#hash", "!bang", "cache/data");
    }

    @Test
    void aPatternThatMatchesNothingIsReportedWithItsSource() {
        List<SourceNotice> notices = notices(List.of("*.log", "tmp/", "!nothing-here", "*.log"));
        assertThat(notices).containsExactly(
                new SourceNotice.UnmatchedExclude(null, "path:site", "tmp/"),
                new SourceNotice.UnmatchedExclude(null, "path:site", "!nothing-here"));
    }

    @Test
    void theTreesOwnIgnoreFilesAreHonouredOnlyWhenAskedPerDirectoryAndTheInventoryWins() throws Exception {
        Files.writeString(site.resolve(".gitignore"), "# comment\n*.log\n/build/\n");
        Files.writeString(site.resolve("sub/.deployignore"), "*.js\n");
        Files.writeString(site.resolve("doc/.gitignore"), "*.txt\n!guide.txt\n");
        assertThat(paths(List.of(), List.of())).contains("app.log", "build/out.js", "sub/node_modules/y.js");
        List<String> honoured = paths(List.of("doc/guide.txt"), List.of(".gitignore", ".deployignore"));
        assertThat(honoured).doesNotContain("app.log", "logs/today.log", "build", "sub/node_modules/y.js",
                "sub/build/keep.js", "doc/api/ref.txt", "doc/guide.txt");
        assertThat(honoured).contains(".gitignore", "sub/.deployignore", "index.html", "deps/lib.a");
    }

    @Test
    void patternsThatCanNeverMatchAreRefusedWhenWritten() {
        assertThat(ExcludeRules.problem("#comment")).get().asString().contains("comment");
        assertThat(ExcludeRules.problem("  ")).isPresent();
        assertThat(ExcludeRules.problem("[abc")).isPresent();
        assertThat(ExcludeRules.problem("node_modules/")).isEmpty();
    }
}
