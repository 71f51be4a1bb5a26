package dev.deploy.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploy.store.FileNames;
import dev.deploy.store.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names of a path source are bytes, whatever the JVM's locale, file.encoding or sun.jnu.encoding. */
class PathSourceNamesTest {

    @TempDir
    Path tmp;

    private Path source;

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code name} (raw bytes as ISO-8859-1 chars) under {@code dir}. */
    static Path at(Path dir, String latin1) {
        byte[] base = NativePaths.bytes(dir.toAbsolutePath());
        byte[] name = bytes(latin1);
        byte[] all = new byte[base.length + 1 + name.length];
        System.arraycopy(base, 0, all, 0, base.length);
        all[base.length] = '/';
        System.arraycopy(name, 0, all, base.length + 1, name.length);
        return NativePaths.fromBytes(all);
    }

    /** Every kind of name Linux allows that broke before: not UTF-8, UTF-8, newline, CR, backslash, dash, ... */
    static final List<String> NAMES = List.of("caf\u00e9.txt", "\u00c3\u0084rger \u00c3\u0096l.txt", "new\nline",
            "cr\r", "back\\slash", "-dash", "tab\there", "sp ace ", "'quote\"", "star*?[x]", "$(id)");

    @BeforeEach
    void tree() throws Exception {
        source = Files.createDirectories(tmp.resolve("src"));
        for (String name : NAMES) {
            Files.writeString(at(source, name), name);
        }
        Path sub = Files.createDirectories(at(source, "d\u00ef\u00f8r"));
        Files.writeString(sub.resolve("inner"), "x");
        // a target of raw bytes (\351 is not UTF-8), with a newline, "//" and a trailing slash
        Process ln = new ProcessBuilder("sh", "-c", "ln -s \"$(printf 't\\351//n\\nx/')\" link")
                .directory(source.toFile()).start();
        assertThat(ln.waitFor()).isZero();
    }

    private List<String> expectedHexNames() {
        List<String> hex = new ArrayList<>();
        for (String name : NAMES) {
            hex.add(HexFormat.of().formatHex(bytes(name)));
        }
        hex.add(HexFormat.of().formatHex(bytes("d\u00ef\u00f8r")));
        hex.add(HexFormat.of().formatHex(bytes("d\u00ef\u00f8r/inner")));
        return hex;
    }

    @Test
    void everyNameAndLinkTargetIsReadAsItsBytes() throws Exception {
        SourceSnapshot snapshot = PathSourceReader.read(new SourceSpec.PathSource(source, List.of(), null));
        List<String> paths = snapshot.tree().entries().stream()
                .map(e -> HexFormat.of().formatHex(e.pathBytes())).toList();
        assertThat(paths).containsAll(expectedHexNames());
        TreeEntry link = snapshot.tree().entries().stream().filter(e -> e.path().equals("link")).findFirst()
                .orElseThrow();
        assertThat(link.linkTargetBytes()).isEqualTo(bytes("t\u00e9//n\nx/"));
        for (TreeEntry entry : snapshot.tree().entries()) {
            if (entry.kind() == TreeEntry.Kind.FILE && !entry.path().contains("/")) {
                try (InputStream in = snapshot.contents().open(entry)) {
                    assertThat(in.readAllBytes()).as(FileNames.display(entry.path()))
                            .isEqualTo(new String(entry.pathBytes(), StandardCharsets.ISO_8859_1)
                                    .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void theSameTreeHasTheSameHashUnderAnyLocaleAndDefaultCharset() throws Exception {
        String here = fork(Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8"));
        String posix = fork(Map.of("LANG", "C", "LC_ALL", "C"), "-Dsun.jnu.encoding=ANSI_X3.4-1968",
                "-Dfile.encoding=ANSI_X3.4-1968");
        String latin1 = fork(Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8"), "-Dfile.encoding=ISO-8859-1");
        String inProcess = PathSourceReader.read(new SourceSpec.PathSource(source, List.of(), null)).tree().hash();
        assertThat(here.lines().findFirst().orElseThrow()).isEqualTo(inProcess);
        assertThat(posix).isEqualTo(here);
        assertThat(latin1).isEqualTo(here);
        assertThat(posix.lines().skip(1).map(l -> l.split(" ")[0]).toList()).containsAll(expectedHexNames());
    }

    /** Runs {@link TreeHashMain} on the source in a new JVM with {@code env} and JVM options. */
    private String fork(Map<String, String> env, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TreeHashMain.class.getName(),
                source.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
