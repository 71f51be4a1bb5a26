package dev.deploy.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.store.Artifact;
import dev.deploy.store.MemoryTree;
import dev.deploy.store.StorePath;
import dev.deploy.store.FileNames;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathDeltaTest {

    private static Artifact tree(String a, boolean bExecutable) {
        return new MemoryTree().file("dir/a", a, false).file("dir/b", "bbbb", bExecutable).file("c\\d", "cc", false)
                .toArtifact("t", "test");
    }

    private static byte[] meta(Artifact artifact) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(VerificationLists.entryList(artifact.tree()));
        out.writeBytes(VerificationLists.checksums(artifact.tree()));
        return out.toByteArray();
    }

    private static BaseFetcher.Base baseOf(Artifact artifact) {
        return new BaseFetcher.Base(artifact.storePath(), MetaList.parse(meta(artifact)));
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
    void metaListsParseBackslashNamesAndSkipDamagedRecords() {
        Artifact artifact = tree("one", true);
        byte[] list = VerificationLists.entryList(artifact.tree());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(list);
        out.writeBytes("garbage record\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(VerificationLists.checksums(artifact.tree()));
        MetaList parsed = MetaList.parse(out.toByteArray());
        assertThat(parsed.files()).containsOnlyKeys("dir/a", "dir/b", "c\\d");
        assertThat(parsed.files().get("dir/b").executable()).isTrue();
        assertThat(parsed.files().get("c\\d").sha256()).isEqualTo(artifact.tree().entries().stream()
                .filter(e -> e.path().equals("c\\d")).findFirst().orElseThrow().sha256());
    }

    @Test
    void metaListsOfEarlierVersionsStillGiveBases() {
        String sha = "a".repeat(64);
        MetaList parsed = MetaList.parse(("d 755 d\nf 555 d/x\nf 444 c\\d\n" + sha + "  ./d/x\n\\" + sha
                + "  ./c\\\\d\n").getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.files()).containsOnlyKeys("d/x", "c\\d");
        assertThat(parsed.files().get("d/x").executable()).isTrue();
    }

    @Test
    void verificationListsAreNulTerminatedRecordsWithFilesReadOnly() {
        Artifact artifact = new MemoryTree().file("d/x", "1", true).file("y", "2", false).toArtifact("t", "test");
        assertThat(new String(VerificationLists.entryList(artifact.tree()), StandardCharsets.US_ASCII))
                .isEqualTo("d 755 d\0f 555 d/x\0f 444 y\0");
        assertThat(new String(VerificationLists.filePaths(artifact.tree()), StandardCharsets.US_ASCII))
                .isEqualTo("./d/x\0./y\0");
        assertThat(VerificationLists.nulSeparated(java.util.List.of("a b", "c"))).isEqualTo("a b\0c\0".getBytes());
    }

    @Test
    void namesOfAnyBytesAndLinkTargetsAreListedByteForByte() {
        String latin1 = FileNames.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9});
        Tree tree = new Tree(List.of(TreeEntry.file(latin1, false, 1, "b".repeat(64)),
                TreeEntry.symlink("a\nb", "x//y/\n" + latin1)));
        byte[] list = VerificationLists.entryList(tree);
        assertThat(list).isEqualTo(bytes("l 777 a\nb//x//y/\ncaf\u00e9\0f 444 caf\u00e9\0"));
        MetaList parsed = MetaList.parse(concat(list, VerificationLists.checksums(tree)));
        assertThat(parsed.files()).containsOnlyKeys(latin1);
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void theFetchAnswerGivesEachTargetItsBaseAndFilesAndStopsAtDamage() {
        Artifact old = tree("one", false);
        StorePath target = tree("two", false).storePath();
        byte[] meta = VerificationLists.gzip(meta(old));
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        answer.writeBytes(("@@base " + target + " " + old.storePath() + " " + meta.length + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        answer.writeBytes(meta);
        answer.writeBytes("@@base not-a-path x 3\nabc".getBytes(StandardCharsets.US_ASCII));
        var bases = BaseFetcher.parse(answer.toByteArray());
        assertThat(bases).containsOnlyKeys(target);
        assertThat(bases.get(target).path()).isEqualTo(old.storePath());
        assertThat(bases.get(target).meta().files()).hasSize(3);
    }
}
