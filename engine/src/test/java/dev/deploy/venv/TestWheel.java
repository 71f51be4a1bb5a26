package dev.deploy.venv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Writes small, valid wheels for tests: files, dist-info metadata and a RECORD of them. */
final class TestWheel {

    private final String name;
    private final String version;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, Integer> modes = new LinkedHashMap<>();
    private final Map<String, String> recordOverrides = new LinkedHashMap<>();
    private boolean writeRecord = true;

    TestWheel(String name, String version) {
        this.name = name;
        this.version = version;
        file(distInfo() + "/METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
        file(distInfo() + "/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    }

    String distInfo() {
        return name.replace('-', '_') + "-" + version + ".dist-info";
    }

    String dataDir() {
        return name.replace('-', '_') + "-" + version + ".data";
    }

    TestWheel file(String path, String text) {
        files.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestWheel executable(String path, String text) {
        file(path, text);
        modes.put(path, 0755);
        return this;
    }

    TestWheel entryPoints(String text) {
        return file(distInfo() + "/entry_points.txt", text);
    }

    /** Records a wrong hash for {@code path} in RECORD. */
    TestWheel lieInRecord(String path) {
        recordOverrides.put(path, "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
        return this;
    }

    String fileName() {
        return name.replace('-', '_') + "-" + version + "-py3-none-any.whl";
    }

    Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path wheel = dir.resolve(fileName());
        StringBuilder record = new StringBuilder();
        try (OutputStream raw = Files.newOutputStream(wheel);
             ZipArchiveOutputStream zip = new ZipArchiveOutputStream(raw)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(file.getKey());
                entry.setUnixMode(0100000 | modes.getOrDefault(file.getKey(), 0644));
                zip.putArchiveEntry(entry);
                zip.write(file.getValue());
                zip.closeArchiveEntry();
                String hash = recordOverrides.getOrDefault(file.getKey(), "sha256="
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(file.getValue())));
                record.append(file.getKey()).append(',').append(hash).append(',').append(file.getValue().length)
                        .append('\n');
            }
            if (writeRecord) {
                record.append(distInfo()).append("/RECORD,,\n");
                ZipArchiveEntry entry = new ZipArchiveEntry(distInfo() + "/RECORD");
                zip.putArchiveEntry(entry);
                zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return wheel;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
