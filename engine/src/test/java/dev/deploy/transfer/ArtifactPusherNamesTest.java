package dev.deploy.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploy.host.CommandResult;
import dev.deploy.host.HostScript;
import dev.deploy.host.LocalConnection;
import dev.deploy.store.Artifact;
import dev.deploy.store.Contents;
import dev.deploy.store.FileNames;
import dev.deploy.store.HostLayout;
import dev.deploy.store.StorePath;
import dev.deploy.store.Tree;
import dev.deploy.store.TreeEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push script on a local target gives every name and link target Linux allows, byte for byte. */
public class ArtifactPusherNamesTest {

    @TempDir
    Path dir;

    private final LocalConnection connection = new LocalConnection("local1");

    /** Raw names (ISO-8859-1 chars are bytes): not UTF-8, UTF-8, newline, CR, backslash, dashes, globs, long. */
    static final List<String> NAMES = List.of("caf\u00e9.txt", "\u00c3\u0084rger \u00c3\u0096l.txt", "new\nline",
            "cr\r", "back\\slash", "-rf", "--help", "tab\t", " lead", "trail ", "'q\"", "*?[a]", "$(id)", ".hidden",
            "...", "n".repeat(255), "d\u00ef\u00f8r/deep\nname", "d\u00ef\u00f8r/" + "x".repeat(200) + "/"
                    + "y".repeat(200));

    private static String name(String latin1) {
        return FileNames.decode(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A tree of every name above (content: the name's bytes), and symlinks with odd targets. */
    public static Artifact oddNames() {
        List<TreeEntry> entries = new ArrayList<>();
        Map<String, byte[]> contents = new HashMap<>();
        TreeSet<String> dirs = new TreeSet<>();
        for (String raw : NAMES) {
            String path = name(raw);
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                dirs.add(path.substring(0, slash));
            }
            byte[] content = raw.getBytes(StandardCharsets.ISO_8859_1);
            entries.add(TreeEntry.file(path, raw.startsWith("-"), content.length, DigestUtils.sha256Hex(content)));
            contents.put(path, content);
        }
        dirs.forEach(d -> entries.add(TreeEntry.directory(d)));
        entries.add(TreeEntry.symlink("link-raw", name("t\u00e9//x\ny/")));
        entries.add(TreeEntry.symlink("link-abs", "/etc/../nowhere"));
        entries.add(TreeEntry.symlink("link-long", "z".repeat(300)));
        entries.add(TreeEntry.symlink("link-dash", "-rf"));
        Contents opener = entry -> new ByteArrayInputStream(contents.get(entry.path()));
        return Artifact.of("odd", new Tree(entries), opener, "test");
    }

    /** {@code find -print0} of the pushed path with each entry's bytes, kind and (for links) target bytes. */
    private Map<String, String> onHost(Path storePath) throws Exception {
        CommandResult found = connection.run("cd '" + storePath + "' && find . -mindepth 1 -printf '%y %P\\0%l\\0'");
        assertThat(found.exitCode()).isZero();
        byte[] out = found.stdout();
        Map<String, String> entries = new HashMap<>();
        int start = 0;
        List<byte[]> fields = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                fields.add(Arrays.copyOfRange(out, start, i));
                start = i + 1;
            }
        }
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String kindAndPath = new String(fields.get(i), StandardCharsets.ISO_8859_1);
            entries.put(kindAndPath.substring(2), kindAndPath.charAt(0) + " "
                    + new String(fields.get(i + 1), StandardCharsets.ISO_8859_1));
        }
        return entries;
    }

    /** The path whose bytes are {@code latin1}'s chars (a file: URI carries any bytes). */
    private static Path exact(String latin1) throws Exception {
        StringBuilder uri = new StringBuilder("file://");
        for (byte b : latin1.getBytes(StandardCharsets.ISO_8859_1)) {
            uri.append(String.format("%%%02X", b & 0xff));
        }
        return Path.of(new java.net.URI(uri.toString().replace("%2F", "/")));
    }

    @Test
    void everyNameAndLinkTargetArrivesByteForByte() throws Exception {
        HostLayout host = new HostLayout(dir.resolve("host").toString());
        Artifact odd = oddNames();
        ArtifactPusher.push(connection, host, List.of(odd), TransferProgress.NONE);
        Path storePath = Path.of(host.storePath(odd.storePath()));
        Map<String, String> entries = onHost(storePath);
        for (String raw : NAMES) {
            assertThat(entries).as(raw).containsEntry(raw, "f ");
            byte[] content = Files.readAllBytes(exact(storePath + "/" + raw));
            assertThat(content).as(raw).isEqualTo(raw.getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThat(entries).containsEntry("link-raw", "l t\u00e9//x\ny/").containsEntry("link-abs", "l /etc/../nowhere")
                .containsEntry("link-long", "l " + "z".repeat(300)).containsEntry("link-dash", "l -rf");
        assertThat(entries).hasSize(NAMES.size() + 4 + 2);
    }

    @Test
    void aDeltaBetweenOddNamedTreesLinksByExactName() throws Exception {
        HostLayout host = new HostLayout(dir.resolve("host").toString());
        Artifact v1 = oddNames();
        ArtifactPusher.push(connection, host, List.of(v1), TransferProgress.NONE);
        List<TreeEntry> changed = new ArrayList<>(v1.tree().entries());
        changed.add(TreeEntry.file("new-file", false, 1, DigestUtils.sha256Hex("n")));
        Contents contents = entry -> entry.path().equals("new-file") ? new ByteArrayInputStream("n".getBytes())
                : v1.contents().open(entry);
        Artifact v2 = Artifact.of("odd", new Tree(changed), contents, "test");
        Map<StorePath, BaseFetcher.Base> bases = BaseFetcher.fetch(connection, host, List.of(
                new DeltaBases.Request(v2.storePath(), Optional.of(v1.storePath()), List.of())));
        assertThat(bases.get(v2.storePath()).meta().files()).hasSize(NAMES.size());
        TransferResult result = ArtifactPusher.push(connection, host, List.of(v2), bases, TransferProgress.NONE);
        assertThat(result.files()).isEqualTo(1);
        assertThat(result.filesReused()).isEqualTo(NAMES.size());
        assertThat(onHost(Path.of(host.storePath(v2.storePath())))).containsKeys(NAMES.toArray(String[]::new));
    }

    @Test
    void aStoreThatIsASymlinkIsNeverWrittenThrough() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.createSymbolicLink(state.resolve("store"), elsewhere);
        HostLayout host = new HostLayout(state.toString());
        assertThatThrownBy(() -> ArtifactPusher.push(connection, host, List.of(oddNames()), TransferProgress.NONE))
                .hasMessageContaining("is a symlink; refusing to write through it");
        try (var list = Files.list(elsewhere)) {
            assertThat(list).isEmpty();
        }
    }

    @Test
    void theScriptDeclaresTheExitsTheJavaSideReactsTo() {
        Map<String, Integer> declared = ArtifactPusher.receiver(new HostLayout("/s"), Optional.empty())
                .declaredExits();
        Map<String, Integer> java = new HashMap<>();
        for (ArtifactPusher.PushExit exit : ArtifactPusher.PushExit.values()) {
            java.put(exit.name(), exit.code());
        }
        assertThat(declared).isEqualTo(java);
    }
}
