package dev.deploy.it.python;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a wheel (PEP 427) with {@code java.util.zip}, so tests need neither pip nor a network: the package's files,
 * then {@code NAME-VERSION.dist-info/} with METADATA, WHEEL, entry_points.txt (when there are console scripts) and
 * RECORD (sha256 in url-safe base64 without padding, and size, of every other file). The archive is byte for byte
 * the same for the same input: entries in insertion order with a fixed timestamp.
 */
public final class WheelBuilder {

    /** 2020-01-01T00:00:00Z: zip stores local time, so any fixed instant gives a reproducible archive. */
    private static final long FIXED_TIME = 1_577_836_800_000L;

    private final String name;
    private final String version;
    private String tag = "py3-none-any";
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> consoleScripts = new LinkedHashMap<>();
    private final List<String> requires = new ArrayList<>();

    private WheelBuilder(String name, String version) {
        this.name = name;
        this.version = version;
    }

    /** A wheel of distribution {@code name} (any spelling; normalized in file names) at {@code version}. */
    public static WheelBuilder of(String name, String version) {
        return new WheelBuilder(name, version);
    }

    /** The compatibility tag, {@code python-abi-platform}; default {@code py3-none-any}. */
    public WheelBuilder tag(String tag) {
        this.tag = tag;
        return this;
    }

    /** A file of the package, at {@code path} relative to site-packages. */
    public WheelBuilder file(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    public WheelBuilder file(String path, byte[] content) {
        files.put(path, content.clone());
        return this;
    }

    /** A {@code [console_scripts]} entry point: {@code name = module:function}. */
    public WheelBuilder consoleScript(String script, String target) {
        consoleScripts.put(script, target);
        return this;
    }

    /** A {@code Requires-Dist} line of METADATA, such as {@code greeting>=1.0}. */
    public WheelBuilder requires(String requirement) {
        requires.add(requirement);
        return this;
    }

    /** The directory name of the metadata, {@code dist-version.dist-info}. */
    public String distInfo() {
        return distribution() + "-" + version + ".dist-info";
    }

    private String distribution() {
        return name.replaceAll("[-_.]+", "_").toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes {@code dist-version-tag.whl} into {@code dir}. */
    public BuiltWheel writeTo(Path dir) {
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        all.put(distInfo() + "/METADATA", metadata().getBytes(StandardCharsets.UTF_8));
        all.put(distInfo() + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: deploy-it-tests\nRoot-Is-Purelib: true\nTag: "
                + tag + "\n").getBytes(StandardCharsets.UTF_8));
        if (!consoleScripts.isEmpty()) {
            StringBuilder entryPoints = new StringBuilder("[console_scripts]\n");
            consoleScripts.forEach((script, target) -> entryPoints.append(script).append(" = ").append(target)
                    .append('\n'));
            all.put(distInfo() + "/entry_points.txt", entryPoints.toString().getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder record = new StringBuilder();
        all.forEach((path, content) -> record.append(path).append(",sha256=")
                .append(Base64.getUrlEncoder().withoutPadding().encodeToString(digest(content))).append(',')
                .append(content.length).append('\n'));
        record.append(distInfo()).append("/RECORD,,\n");
        all.put(distInfo() + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));

        Path file = dir.resolve(distribution() + "-" + version + "-" + tag + ".whl");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> entry : all.entrySet()) {
                    ZipEntry zipEntry = new ZipEntry(entry.getKey());
                    zipEntry.setTime(FIXED_TIME);
                    zip.putNextEntry(zipEntry);
                    zip.write(entry.getValue());
                    zip.closeEntry();
                }
            }
            byte[] bytes = Files.readAllBytes(file);
            long installed = all.values().stream().mapToLong(content -> content.length).sum();
            return new BuiltWheel(name, version, file, bytes.length, HexFormat.of().formatHex(digest(bytes)),
                    installed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String metadata() {
        StringBuilder text = new StringBuilder("Metadata-Version: 2.1\nName: ").append(name).append("\nVersion: ")
                .append(version).append('\n');
        requires.forEach(requirement -> text.append("Requires-Dist: ").append(requirement).append('\n'));
        return text.toString();
    }

    static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
