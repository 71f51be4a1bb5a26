package dev.deploy.it.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree of file names Linux allows and deploy once broke on (issue 13): bytes that are not UTF-8, UTF-8 outside
 * ASCII, newline, CR, backslash, leading dashes, quotes and shell syntax; a symlink whose target has a newline and a
 * non-UTF-8 byte; one name of every byte Linux allows (0x01-0xff but '/', 254 bytes), names of 255 bytes (the
 * limit of a name component), ASCII and not; a word in Unicode NFC and in NFD (kept apart, never normalised).
 * Names are written as ISO-8859-1 strings: one char per byte.
 */
public final class OddNames {

    public static final List<String> FILES = List.of("caf\u00e9.txt", "\u00c3\u0084rger \u00c3\u0096l.txt",
            "new\nline", "cr\r", "back\\slash", "-rf", "--help", "'q\"$(id)`id`", "*?[a]", "d\u00ef\u00f8r/inner\n",
            everyByte(), "x".repeat(255), "\u00ff".repeat(255),
            // the same word in Unicode NFC and NFD (UTF-8 bytes): two different names, neither normalised
            "caf\u00c3\u00a9-nfc", "cafe\u00cc\u0081-nfd", "tab\there");
    public static final String LINK = "link";
    public static final String LINK_TARGET = "t\u00e9//x\ny/";

    private OddNames() {
    }

    /** Every byte a Linux file name may hold, 0x01 to 0xff without '/', in order. */
    private static String everyByte() {
        StringBuilder name = new StringBuilder();
        for (char c = 1; c <= 0xff; c++) {
            if (c != '/') {
                name.append(c);
            }
        }
        return name.toString();
    }

    /** The path whose bytes are {@code latin1}'s chars, under {@code dir} (a file: URI carries any bytes). */
    public static Path exact(Path dir, String latin1) throws Exception {
        StringBuilder uri = new StringBuilder("file://");
        // the directory as this (UTF-8) JVM created it, then the name's raw bytes
        byte[] base = dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        byte[] name = ("/" + latin1).getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] part : new byte[][] {base, name}) {
            for (byte b : part) {
                uri.append(b == '/' ? "/" : String.format("%%%02X", b & 0xff));
            }
        }
        return Path.of(new URI(uri.toString()));
    }

    /** Writes the tree under {@code dir}: each file holds its own name's bytes. */
    public static void create(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String name : FILES) {
            Path file = exact(dir, name);
            Files.createDirectories(file.getParent());
            Files.write(file, name.getBytes(StandardCharsets.ISO_8859_1));
        }
        StringBuilder octal = new StringBuilder();
        for (byte b : LINK_TARGET.getBytes(StandardCharsets.ISO_8859_1)) {
            octal.append(String.format("\\0%03o", b & 0xff));
        }
        Process ln = new ProcessBuilder("sh", "-c", "ln -s \"$(printf '%b' '" + octal + "')\" " + LINK)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(ln.waitFor()).as(new String(ln.getInputStream().readAllBytes())).isZero();
    }

    /** Every entry under {@code dir} by raw path: "f", "d" or "l TARGET" (find -printf, byte for byte). */
    public static Map<String, String> listing(Path dir) throws Exception {
        Process find = new ProcessBuilder("find", ".", "-mindepth", "1", "-printf", "%y %P\\0%l\\0")
                .directory(dir.toFile()).start();
        byte[] out = find.getInputStream().readAllBytes();
        assertThat(find.waitFor()).isZero();
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                fields.add(new String(Arrays.copyOfRange(out, start, i), StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String kind = fields.get(i).substring(0, 1);
            entries.put(fields.get(i).substring(2), kind.equals("l") ? "l " + fields.get(i + 1) : kind);
        }
        return entries;
    }

    /** Asserts that {@code deployed} holds exactly the odd tree, names, contents and link target byte for byte. */
    public static void assertDeployed(Path deployed) throws Exception {
        Map<String, String> entries = listing(deployed);
        for (String name : FILES) {
            assertThat(entries).as(name).containsEntry(name, "f");
            assertThat(Files.readAllBytes(exact(deployed, name))).isEqualTo(name.getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThat(entries).containsEntry(LINK, "l " + LINK_TARGET);
        assertThat(entries).hasSize(FILES.size() + 2);
    }

    /** Runs the real CLI in a new JVM with {@code env} and JVM options (for another locale than the tests'). */
    public static ForkedRun fork(Map<String, String> env, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.deploy.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        return new ForkedRun(code, out, err.join());
    }

    /** What a forked CLI run printed and returned. */
    public record ForkedRun(int exitCode, String stdout, String stderr) {
    }

    /** {@code LANG=C}, an ASCII sun.jnu.encoding and default charset: no UTF-8 anywhere (cron, CI). */
    public static final Map<String, String> POSIX_LOCALE = Map.of("LANG", "C", "LC_ALL", "C");
    public static final List<String> POSIX_JVM = List.of("-Dsun.jnu.encoding=ANSI_X3.4-1968",
            "-Dfile.encoding=ANSI_X3.4-1968");

    /** {@code env} plus what the CLI needs to find the bundled modules and a private cache. */
    public static Map<String, String> env(Map<String, String> locale, Path cache) {
        Map<String, String> env = new HashMap<>(locale);
        env.put("DEPLOY_CACHE", cache.toString());
        return env;
    }
}
