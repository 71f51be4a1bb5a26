package dev.deploy.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Writes a uv project the size of LNbits' (pyproject.toml and a uv.lock of 147 packages, about 1,400 wheels, some
 * 0.45 MB): an editable root with a dev group and extras, pure-Python and native packages with wheels for four
 * CPythons and eight platforms, markers on some edges. The wheels are locked at an address nothing listens on
 * (127.0.0.1:9), so a plan that tried to download one would fail: {@code plan} must need only the lock.
 */
final class UvProjectGenerator {

    static final int PACKAGES = 147;
    private static final String BASE = "http://127.0.0.1:9/files/";
    private static final List<String> PYTHONS = List.of("cp310", "cp311", "cp312", "cp313");
    private static final List<String> PLATFORMS = List.of("macosx_10_12_x86_64", "macosx_11_0_arm64",
            "manylinux_2_17_aarch64.manylinux2014_aarch64", "manylinux_2_17_x86_64.manylinux2014_x86_64",
            "musllinux_1_2_aarch64", "musllinux_1_2_x86_64", "win32", "win_amd64");

    private UvProjectGenerator() {
    }

    /** Writes {@code dir/pyproject.toml} and {@code dir/uv.lock} for project {@code name}. */
    static void write(Path dir, String name, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pyproject.toml"), "[project]\nname = \"" + name + "\"\nversion = \"1.0.0\"\n"
                + "[project.scripts]\n" + name + " = \"" + name + ".server:main\"\n");
        List<String> names = new ArrayList<>();
        for (int i = 1; i < PACKAGES; i++) {
            names.add(String.format("pkg-%03d", i));
        }
        StringBuilder lock = new StringBuilder("version = 1\nrevision = 3\nrequires-python = \">=3.10\"\n");
        lock.append("\n[[package]]\nname = \"").append(name).append("\"\nversion = \"1.0.0\"\n")
                .append("source = { editable = \".\" }\ndependencies = [\n");
        for (String dep : names.subList(0, 95)) {
            lock.append("    { name = \"").append(dep).append("\"")
                    .append(random.nextInt(10) == 0 ? ", marker = \"sys_platform == 'win32'\"" : "").append(" },\n");
        }
        lock.append("]\n\n[package.optional-dependencies]\nliquid = [{ name = \"pkg-140\" }]\n")
                .append("\n[package.dev-dependencies]\ndev = [\n");
        for (String dep : names.subList(120, 146)) {
            lock.append("    { name = \"").append(dep).append("\" },\n");
        }
        lock.append("]\n\n[package.metadata]\nprovides-extras = [\"liquid\"]\n");
        for (int i = 0; i < names.size(); i++) {
            String pkg = names.get(i);
            String version = (1 + random.nextInt(5)) + "." + random.nextInt(20) + "." + random.nextInt(10);
            lock.append("\n[[package]]\nname = \"").append(pkg).append("\"\nversion = \"").append(version)
                    .append("\"\nsource = { registry = \"https://pypi.org/simple\" }\n");
            if (i + 1 < names.size() && i % 3 == 0) {
                lock.append("dependencies = [\n    { name = \"").append(names.get(i + 1))
                        .append("\", marker = \"python_full_version < '3.13'\" },\n]\n");
            }
            String file = pkg.replace('-', '_') + "-" + version;
            lock.append("sdist = ").append(entry(file + ".tar.gz")).append('\n').append("wheels = [\n");
            if (i % 2 == 0) {
                for (String python : PYTHONS) {
                    for (String platform : PLATFORMS) {
                        lock.append("    ").append(entry(file + "-" + python + "-" + python + "-" + platform + ".whl"))
                                .append(",\n");
                    }
                }
            } else {
                lock.append("    ").append(entry(file + "-py3-none-any.whl")).append(",\n");
            }
            lock.append("]\n");
        }
        Files.writeString(dir.resolve("uv.lock"), lock.toString());
    }

    private static String entry(String fileName) {
        String hash = sha256(fileName);
        return "{ url = \"" + BASE + fileName + "\", hash = \"sha256:" + hash + "\", size = "
                + (10_000 + Integer.parseInt(hash.substring(0, 5), 16)) + ", upload-time = \"2025-01-01T00:00:00Z\" }";
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
