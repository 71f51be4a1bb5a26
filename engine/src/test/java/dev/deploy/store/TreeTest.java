package dev.deploy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.source.PathSourceReader;
import dev.deploy.source.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeTest {

    @TempDir
    Path tmp;

    private Tree read(Path dir) {
        return PathSourceReader.read(new SourceSpec.PathSource(dir, List.of(), null)).tree();
    }

    private Path sample(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(dir.resolve("static/css"));
        Files.writeString(dir.resolve("app.py"), "print('hi')\n");
        Files.writeString(dir.resolve("static/css/site.css"), "body{}\n");
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("latest"), Path.of("static"));
        return dir;
    }

    @Test
    void sameContentGivesSameHashWhateverMtimesAndReadOrder() throws Exception {
        Path a = sample("a");
        Path b = sample("b");
        Files.setLastModifiedTime(b.resolve("app.py"), FileTime.fromMillis(0));
        Tree treeA = read(a);
        List<TreeEntry> shuffled = new ArrayList<>(read(b).entries());
        Collections.reverse(shuffled);
        assertThat(new Tree(shuffled).hash()).isEqualTo(treeA.hash());
        assertThat(StorePath.of("app", new Tree(shuffled))).isEqualTo(StorePath.of("app", treeA));
    }

    @Test
    void oneChangedByteChangesTheHash() throws Exception {
        Path dir = sample("a");
        String before = read(dir).hash();
        Files.writeString(dir.resolve("app.py"), "print('ho')\n");
        assertThat(read(dir).hash()).isNotEqualTo(before);
    }

    @Test
    void theExecutableBitChangesTheHash() throws Exception {
        Path dir = sample("a");
        String before = read(dir).hash();
        Files.setPosixFilePermissions(dir.resolve("app.py"), PosixFilePermissions.fromString("rwxr--r--"));
        assertThat(read(dir).hash()).isNotEqualTo(before);
    }

    @Test
    void otherModeBitsDoNotChangeTheHash() throws Exception {
        Path dir = sample("a");
        String before = read(dir).hash();
        // (A file others may not read is refused as a probable secret: see SecretDeclarationTest.)
        Files.setPosixFilePermissions(dir.resolve("app.py"), PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(read(dir).hash()).isEqualTo(before);
    }

    @Test
    void aSymlinkTargetChangesTheHash() throws Exception {
        Path dir = sample("a");
        String before = read(dir).hash();
        Files.delete(dir.resolve("latest"));
        Files.createSymbolicLink(dir.resolve("latest"), Path.of("app.py"));
        assertThat(read(dir).hash()).isNotEqualTo(before);
    }

    @Test
    void gitDirectoriesAndExcludesAreLeftOut() throws Exception {
        Path dir = sample("a");
        String before = read(dir).hash();
        Files.createDirectories(dir.resolve(".git/objects"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(dir.resolve("cache.pyc"), "x");
        Tree tree = PathSourceReader.read(new SourceSpec.PathSource(dir, List.of("*.pyc"), null)).tree();
        assertThat(tree.hash()).isEqualTo(before);
        assertThat(tree.entries()).extracting(TreeEntry::path).doesNotContain(".git", "cache.pyc");
    }

    @Test
    void storePathsHaveThirtyTwoBase32CharactersAndTheName() throws Exception {
        StorePath path = StorePath.of("site", read(sample("a")));
        assertThat(path.toString()).matches("[a-z2-7]{32}-site");
        assertThat(StorePath.parse(path.toString())).isEqualTo(path);
    }

    @Test
    void theNameIsPartOfTheStorePath() throws Exception {
        Tree tree = read(sample("a"));
        assertThat(StorePath.of("one", tree).hash()).isNotEqualTo(StorePath.of("two", tree).hash());
    }

    @Test
    void theCanonicalHashAndOrderStayAsTheyWere() {
        // the hash of these entries as computed before the tree's construction was optimized: store paths of
        // existing hosts must not change
        Tree tree = new Tree(List.of(TreeEntry.file("z.txt", false, 3, "ab".repeat(32)), TreeEntry.directory("a"),
                TreeEntry.file("a/run", true, 10, "cd".repeat(32)), TreeEntry.symlink("a/l", "../z.txt"),
                TreeEntry.file("\u00e9", false, 1, "ef".repeat(32)), TreeEntry.file("Z", false, 0, "01".repeat(32))));
        assertThat(tree.hash()).isEqualTo("9c96ca4149ac83b146d2137b4e4b65693ee32339c7ee08353d3497da3ef09e0c");
        assertThat(tree.entries()).extracting(TreeEntry::path).containsExactly("Z", "a", "a/l", "a/run", "z.txt", "\u00e9");
    }

    @Test
    void dotSegmentsAndDuplicatePathsAreRejected() {
        for (String bad : List.of("..", ".", "a/..", "../a", "a/./b", "a//b", "/a", "a/", "")) {
            assertThatThrownBy(() -> new Tree(List.of(TreeEntry.directory(bad))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new Tree(List.of(TreeEntry.directory("a"), TreeEntry.directory("a"))))
                .hasMessageContaining("twice");
        assertThat(new Tree(List.of(TreeEntry.directory(".hidden"), TreeEntry.directory("a"),
                TreeEntry.directory("a/..b"), TreeEntry.directory("a/..."))).entries()).hasSize(4);
    }

    @Test
    void treesOfUtf8NamesHashAsTheyDidBeforeNamesBecameBytes() {
        // computed with the code before names were bytes: store paths of existing hosts must not change
        Tree tree = new Tree(List.of(TreeEntry.directory("Ärger"),
                TreeEntry.file("Ärger/Öl.txt", false, 3, "a".repeat(64)),
                TreeEntry.file("back\\slash", true, 0, "b".repeat(64)), TreeEntry.symlink("link", "Ärger/Öl.txt"),
                TreeEntry.file("-dash", false, 1, "c".repeat(64)), TreeEntry.file("tab\tcr\r", false, 2, "d".repeat(64))));
        assertThat(tree.hash()).isEqualTo("c3b68155552b3056eaeaf94ec19e4360b48396cdf8d8ac85f0ca1cc1b36dbec0");
        assertThat(StorePath.of("x", tree).toString()).isEqualTo("7xp7pkqlkrghqgoweltagey2mkip73fp-x");
    }

    @Test
    void aNameThatIsNotUtf8IsItsOwnBytesNotAReplacementCharacter() {
        String latin1 = FileNames.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9});
        Tree raw = new Tree(List.of(TreeEntry.file(latin1, false, 0, "a".repeat(64))));
        Tree replaced = new Tree(List.of(TreeEntry.file("caf\uFFFD", false, 0, "a".repeat(64))));
        Tree utf8 = new Tree(List.of(TreeEntry.file("caf\u00e9", false, 0, "a".repeat(64))));
        assertThat(raw.hash()).isNotEqualTo(replaced.hash()).isNotEqualTo(utf8.hash());
        assertThat(raw.entries().get(0).pathBytes()).isEqualTo(new byte[] {'c', 'a', 'f', (byte) 0xe9});
    }

    @Test
    void aNewlineInANameCannotForgeOtherEntries() {
        // in the line form, file "x\nd y" would serialize like file "x" plus directory "y"
        String sha = "a".repeat(64);
        Tree forged = new Tree(List.of(TreeEntry.file("x\nd y", false, 1, sha)));
        Tree honest = new Tree(List.of(TreeEntry.file("x", false, 1, sha), TreeEntry.directory("y")));
        assertThat(forged.hash()).isNotEqualTo(honest.hash());
        Tree linkA = new Tree(List.of(TreeEntry.symlink("a", "b\n> c")));
        Tree linkB = new Tree(List.of(TreeEntry.symlink("a\n> b", "c")));
        assertThat(linkA.hash()).isNotEqualTo(linkB.hash());
    }

    @Test
    void namesLongerThanLinuxAllowsAndEntriesOutsideListedDirectoriesAreRefused() {
        assertThat(new Tree(List.of(TreeEntry.file("n".repeat(255), false, 0, "a".repeat(64)))).entries()).hasSize(1);
        assertThatThrownBy(() -> new Tree(List.of(TreeEntry.file("n".repeat(256), false, 0, "a".repeat(64)))))
                .hasMessageContaining("256 bytes");
        assertThatThrownBy(() -> new Tree(List.of(TreeEntry.symlink("l", "/etc"),
                TreeEntry.file("l/passwd", false, 0, "a".repeat(64))))).hasMessageContaining("not inside a directory");
        assertThatThrownBy(() -> new Tree(List.of(TreeEntry.symlink("l", "")))).hasMessageContaining("empty target");
        assertThat(Tree.problem(TreeEntry.file("a\nb", false, 0, "a".repeat(64)))).isEmpty();
        String deep = ("d".repeat(250) + "/").repeat(13) + "f";
        assertThat(Tree.problem(TreeEntry.file(deep, false, 0, "a".repeat(64)))).get().asString()
                .contains("is a path of 3264 bytes");
        assertThat(Tree.problem(TreeEntry.symlink("l", "t".repeat(4096)))).get().asString()
                .contains("target of 4096 bytes");
    }
}
