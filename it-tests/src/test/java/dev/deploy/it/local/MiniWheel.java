package dev.deploy.it.local;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Minimal valid pure-Python wheels for tests, and their uv.lock entries. */
public final class MiniWheel {

    private MiniWheel() {
    }

    /** Writes {@code name-version-py3-none-any.whl} with {@code content}, METADATA, WHEEL and a RECORD of them. */
    public static Path write(Path dir, String name, String version, Map<String, String> content) throws Exception {
        Files.createDirectories(dir);
        String distInfo = name + "-" + version + ".dist-info";
        Map<String, String> files = new LinkedHashMap<>(content);
        files.put(distInfo + "/METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
        files.put(distInfo + "/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        StringBuilder record = new StringBuilder();
        Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
        try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(bytes);
                zip.closeEntry();
                record.append(file.getKey()).append(",sha256=")
                        .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(bytes)))
                        .append(',').append(bytes.length).append('\n');
            }
            record.append(distInfo).append("/RECORD,,\n");
            zip.putNextEntry(new ZipEntry(distInfo + "/RECORD"));
            zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return wheel;
    }

    /** A uv.lock {@code [[package]]} entry for a registry package whose one wheel is {@code wheel} (file:// URL). */
    public static String lockEntry(String name, String version, Path wheel, String dependencies) throws Exception {
        return "\n[[package]]\nname = \"" + name + "\"\nversion = \"" + version + "\"\n"
                + "source = { registry = \"https://pypi.example/simple\" }\n"
                + (dependencies.isEmpty() ? "" : "dependencies = [" + dependencies + "]\n")
                + "wheels = [{ url = \"" + wheel.toUri() + "\", hash = \"sha256:"
                + HexFormat.of().formatHex(sha256(Files.readAllBytes(wheel))) + "\" }]\n";
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
