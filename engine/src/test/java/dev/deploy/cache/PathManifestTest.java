package dev.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.store.Artifact;
import dev.deploy.store.FileNames;
import dev.deploy.store.StorePath;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathManifestTest {

    @Test
    void aManifestReadsBackToTheSameTreeAndStorePath() {
        Tree tree = new Tree(List.of(TreeEntry.directory("lib"),
                TreeEntry.file("lib/app.py", false, 3, "a".repeat(64)),
                TreeEntry.file("bin/run", true, 5, "b".repeat(64)),
                TreeEntry.directory("bin"),
                TreeEntry.symlink("bin/python", "/usr/bin/python3"),
                TreeEntry.file("odd name %41 \"q\" \\ \u00e9\u4e2d", false, 0, "c".repeat(64))));
        Artifact artifact = Artifact.of("app", tree, entry -> null, "test");

        byte[] json = PathManifest.of(artifact).toJson();
        PathManifest back = PathManifest.parse(json);

        assertThat(back.storePath()).isEqualTo(artifact.storePath());
        assertThat(back.tree().hash()).isEqualTo(tree.hash());
        assertThat(back.tree().entries()).isEqualTo(tree.entries());
        assertThat(back.objects()).containsExactly("b".repeat(64), "a".repeat(64), "c".repeat(64));
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"path\":\"odd%20name%20%2541%20%22q%22%20%5C%20%C3%A9%E4%B8%AD\"")
                .matches("[\\x20-\\x7e]*");
    }

    /** Names are bytes (FileNames): a name that is not UTF-8 keeps its exact bytes, so the tree hash survives. */
    @Test
    void namesThatAreNotUtf8ReadBackToTheSameBytesAndTreeHash() {
        String raw = FileNames.decode("caf\u00e9\nname\\x".getBytes(StandardCharsets.ISO_8859_1));
        Tree tree = new Tree(List.of(TreeEntry.file(raw, false, 1, "a".repeat(64)),
                TreeEntry.symlink("link", FileNames.decode(new byte[] {'t', (byte) 0xff, '/', '/', 'x'}))));
        Artifact artifact = Artifact.of("raw", tree, entry -> null, "test");

        byte[] json = PathManifest.of(artifact).toJson();
        PathManifest back = PathManifest.parse(json);

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"path\":\"caf%E9%0Aname%5Cx\"")
                .contains("\"target\":\"t%FF//x\"");
        assertThat(back.storePath()).isEqualTo(artifact.storePath());
        assertThat(back.tree().entries().get(0).pathBytes()).isEqualTo(tree.entries().get(0).pathBytes());
    }

    @Test
    void aManifestOfAStorePathNamedByItsInputsSaysSoAndReadsBack() {
        Tree tree = new Tree(List.of(TreeEntry.file("app", true, 1, "a".repeat(64))));
        StorePath byInputs = new StorePath("b".repeat(32), "venv-app-1.0");
        Artifact venv = Artifact.deferred(byInputs, "venv", java.util.Optional.empty(),
                () -> new Artifact.Built(tree, entry -> null));

        PathManifest back = PathManifest.parse(PathManifest.of(venv).toJson());

        assertThat(back.contentAddressed()).isFalse();
        assertThat(back.storePath()).isEqualTo(byInputs);
        assertThat(back.objects()).containsExactly("a".repeat(64));
        assertThat(PathManifest.of(Artifact.of("app", tree, entry -> null, "test")).contentAddressed()).isTrue();
    }

    @Test
    void aManifestWhoseEntriesDoNotHashToItsNameIsRejected() {
        Tree tree = new Tree(List.of(TreeEntry.file("a", false, 1, "a".repeat(64))));
        Artifact artifact = Artifact.of("app", tree, entry -> null, "test");
        String forged = new String(PathManifest.of(artifact).toJson(), StandardCharsets.UTF_8)
                .replace("a".repeat(64), "b".repeat(64));

        assertThatThrownBy(() -> PathManifest.parse(forged.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not hash to its name");
        assertThatThrownBy(() -> PathManifest.parse("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathManifest.parse("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyByteOfANameSurvivesTheEscaping() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String escaped = ManifestNames.encode(all);
        assertThat(escaped).matches("[A-Za-z0-9%._~/+-]*");
        assertThat(ManifestNames.decode(escaped)).isEqualTo(all);
        assertThatThrownBy(() -> ManifestNames.decode("%+1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestNames.decode("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestNames.decode("%4")).isInstanceOf(IllegalArgumentException.class);
        assertThat(StorePath.isValid("x")).isFalse();
    }
}
