package dev.deploy.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.store.TreeEntry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathDeltaTest {

    private static Artifact tree(String a, boolean bExecutable) {
        return new MemoryTree().file("dir/a", a, false).file("dir/b", "bbbb", bExecutable).file("c\\d", "cc", false)
                .toArtifact("t", "test");
    }

    private static BaseFetcher.Base baseOf(Artifact artifact) {
        String meta = VerificationLists.entryList(artifact.tree()) + VerificationLists.checksums(artifact.tree());
        return new BaseFetcher.Base(artifact.storePath(), MetaList.parse(meta));
    }

    @Test
    void filesWithTheSameHashAndExecutableBitAreLinkedTheOthersSentDirectoriesAlwaysCreated() {
        Artifact old = tree("one", false);
        PathDelta delta = PathDelta.of(tree("two", true), Optional.of(baseOf(old)));
        assertThat(delta.base()).contains(old.storePath());
        assertThat(delta.send()).extracting(TreeEntry::path).containsExactly("dir/a", "dir/b");
        assertThat(delta.links()).containsExactly("c\\d");
        assertThat(delta.directories()).containsExactly("dir");
        assertThat(delta.bytesToSend()).isEqualTo(7);
        assertThat(delta.bytesReused()).isEqualTo(2);
    }

    @Test
    void withoutABaseOrWithNothingInCommonEverythingIsSentAndNoBaseIsUsed() {
        assertThat(PathDelta.of(tree("x", false), Optional.empty()).send()).hasSize(3);
        Artifact unrelated = new MemoryTree().file("other", "z", false).toArtifact("t", "test");
        PathDelta delta = PathDelta.of(tree("x", false), Optional.of(baseOf(unrelated)));
        assertThat(delta.base()).isEmpty();
        assertThat(delta.links()).isEmpty();
        assertThat(delta.filesToSend()).isEqualTo(3);
    }

    @Test
    void metaListsParseBackslashNamesAndIgnoreDamagedLines() {
        Artifact artifact = tree("one", true);
        String meta = VerificationLists.entryList(artifact.tree()) + "garbage line\n"
                + VerificationLists.checksums(artifact.tree());
        MetaList parsed = MetaList.parse(meta);
        assertThat(parsed.files()).containsOnlyKeys("dir/a", "dir/b", "c\\d");
        assertThat(parsed.files().get("dir/b").executable()).isTrue();
        assertThat(parsed.files().get("c\\d").sha256()).isEqualTo(artifact.tree().entries().stream()
                .filter(e -> e.path().equals("c\\d")).findFirst().orElseThrow().sha256());
    }

    @Test
    void verificationListsShowFilesReadOnlyAndDirectoriesWritable() {
        Artifact artifact = new MemoryTree().file("d/x", "1", true).file("y", "2", false).toArtifact("t", "test");
        assertThat(VerificationLists.entryList(artifact.tree())).isEqualTo("d 755 d\nf 555 d/x\nf 444 y\n");
        assertThat(VerificationLists.nulSeparated(java.util.List.of("a b", "c"))).isEqualTo("a b\0c\0".getBytes());
    }

    @Test
    void theFetchAnswerGivesEachTargetItsBaseAndFiles() {
        Artifact old = tree("one", false);
        StorePath target = tree("two", false).storePath();
        String answer = "@@base " + target + " " + old.storePath() + "\n" + VerificationLists.entryList(old.tree())
                + VerificationLists.checksums(old.tree()) + "\n@@base not-a-path x\nf 444 stray\n";
        var bases = BaseFetcher.parse(answer);
        assertThat(bases).containsOnlyKeys(target);
        assertThat(bases.get(target).path()).isEqualTo(old.storePath());
        assertThat(bases.get(target).meta().files()).hasSize(3);
    }
}
